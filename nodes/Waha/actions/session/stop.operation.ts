import { stateChangeOperation } from './stateChange';

export const { description, execute } = stateChangeOperation('stop');
