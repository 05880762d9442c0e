import { reportOperation } from './report';

export const { description, execute } = reportOperation('z');
