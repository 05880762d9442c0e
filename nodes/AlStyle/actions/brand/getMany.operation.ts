import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getBrands } from '../../transport';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return (await getBrands(this, itemIndex)).map((brand) => ({ ...brand }));
}
