import { createRouter } from '../../shared/router';
import * as chat from './chat/Chat.resource';
import * as contact from './contact/Contact.resource';
import * as message from './message/Message.resource';
import * as session from './session/Session.resource';
import type { NodeMap } from './node.type';

/** One line per resource; each resource module exports its operations by value. */
export const router = createRouter<NodeMap>({ chat, contact, message, session });
