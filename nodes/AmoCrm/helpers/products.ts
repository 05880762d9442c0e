import { NodeOperationError } from 'n8n-workflow';

import type { ApiContext } from '../../shared/http';
import { amoGetAll, amoGetPage, amoRequest, type AmoCallOptions } from '../transport';
import {
	BATCH_SIZE,
	SKU_FIELD_CODE,
	type AmoCatalog,
	type AmoCatalogElement,
	type AmoList,
} from '../transport/types';
import { chunk, fieldValues } from './fields';

/**
 * The account's products list. Only a list of type `products` has the SKU and PRICE fields; an
 * invoices or regular list would refuse them or hold invoices (docs/services/amocrm.md, "Catalogs
 * and products"), so without one this is an error, not a fallback.
 */
export async function productsCatalogId(
	context: ApiContext,
	options: AmoCallOptions = {},
): Promise<number> {
	const catalogs = await amoGetAll<AmoCatalog>(
		context,
		'/api/v4/catalogs',
		'catalogs',
		{},
		options,
	);
	const catalog = catalogs.find((entry) => entry.type === 'products');
	if (!catalog) {
		throw new NodeOperationError(context.getNode(), 'The amoCRM account has no products list', {
			description:
				'Turn on Products in amoCRM (Lists → Products), or choose the list in the Products Catalog option.',
			itemIndex: options.itemIndex,
		});
	}
	return catalog.id;
}

/** The element whose SKU field equals `sku` exactly (the API's `query` is full-text). */
export async function findProductBySku(
	context: ApiContext,
	catalogId: number,
	sku: string,
	options: AmoCallOptions = {},
): Promise<AmoCatalogElement | undefined> {
	const hits = await amoGetPage<AmoCatalogElement>(
		context,
		`/api/v4/catalogs/${catalogId}/elements`,
		'elements',
		{ query: sku, limit: 50 },
		options,
	);
	return hits.find((element) =>
		fieldValues(element.custom_fields_values, { code: SKU_FIELD_CODE }).includes(sku),
	);
}

export interface NewProduct {
	sku: string;
	name: string;
	price?: number;
}

/** Creates products in batches of 50; returns SKU → element id. */
export async function createProducts(
	context: ApiContext,
	catalogId: number,
	products: NewProduct[],
	options: AmoCallOptions = {},
): Promise<Map<string, number>> {
	const ids = new Map<string, number>();
	for (const batch of chunk(products, BATCH_SIZE)) {
		const body = await amoRequest<AmoList<'elements', { id: number; request_id?: string }>>(
			context,
			{
				method: 'POST',
				path: `/api/v4/catalogs/${catalogId}/elements`,
				body: batch.map((product) => ({
					name: product.name || product.sku,
					request_id: product.sku,
					custom_fields_values: [
						{ field_code: SKU_FIELD_CODE, values: [{ value: product.sku }] },
						...(product.price !== undefined
							? [{ field_code: 'PRICE', values: [{ value: product.price }] }]
							: []),
					],
				})),
			},
			options,
		);
		const created = body?._embedded?.elements ?? [];
		created.forEach((element, index) =>
			ids.set(String(element.request_id ?? batch[index].sku), element.id),
		);
	}
	return ids;
}
