import { createRouter } from '../../shared/router';
import * as order from './order/Order.resource';
import type { NodeMap } from './node.type';

/** One line per resource; each resource module exports its operations by value. */
export const router = createRouter<NodeMap>({ order });
