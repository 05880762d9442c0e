import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getSession } from '../../transport';
import { readSession, sessionRLC } from '../common.descriptions';
import { toSessionOutput } from '../../helpers/session';

const properties: INodeProperties[] = [sessionRLC];

export const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['getStatus'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return toSessionOutput(await getSession(this, readSession(this, itemIndex), { itemIndex }));
}
