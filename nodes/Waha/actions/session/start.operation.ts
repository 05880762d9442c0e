import { stateChangeOperation } from './stateChange';

export const { description, execute } = stateChangeOperation('start');
