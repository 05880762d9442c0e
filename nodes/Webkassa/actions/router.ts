import { createRouter } from '../../shared/router';
import * as cash from './cash/Cash.resource';
import * as cashbox from './cashbox/Cashbox.resource';
import * as receipt from './receipt/Receipt.resource';
import * as session from './session/Session.resource';
import * as shift from './shift/Shift.resource';
import type { NodeMap } from './node.type';

/** One line per resource; each resource module exports its operations by value. */
export const router = createRouter<NodeMap>({ cash, cashbox, receipt, session, shift });
