import { createRouter } from '../../shared/router';
import * as contact from './contact/Contact.resource';
import * as deal from './deal/Deal.resource';
import * as note from './note/Note.resource';
import * as product from './product/Product.resource';
import type { NodeMap } from './node.type';

/** One line per resource; each resource module exports its operations by value. */
export const router = createRouter<NodeMap>({ contact, deal, note, product });
