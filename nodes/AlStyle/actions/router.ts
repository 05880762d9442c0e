import { createRouter } from '../../shared/router';
import * as brand from './brand/Brand.resource';
import * as category from './category/Category.resource';
import * as product from './product/Product.resource';
import type { NodeMap } from './node.type';

/** One line per resource; each resource module exports its operations by value. */
export const router = createRouter<NodeMap>({ brand, category, product });
