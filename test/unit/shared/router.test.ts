import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { createRouter } from '../../../nodes/shared/router';

type Map = { order: 'get' | 'accept'; list: 'build' };

const get = { execute: async (itemIndex: number) => ({ got: itemIndex }) };
const accept = { execute: async () => ({ accepted: true }) };
const build = {
	batch: true as const,
	execute: async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: { count: this.getInputData().length } }]];
	},
};

function context(resource: string, operation: string, items = 2) {
	return {
		getNodeParameter: (name: string) => (name === 'resource' ? resource : operation),
		getInputData: () => Array.from({ length: items }, (): INodeExecutionData => ({ json: {} })),
		getNode: () => ({
			name: 'Test',
			type: 'test',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		continueOnFail: () => false,
	} as unknown as IExecuteFunctions;
}

const router = createRouter<Map>({ order: { get, accept }, list: { build } });

// A map missing an operation, or naming one the node does not have, does not type-check.
// @ts-expect-error -- `accept` is missing from `order`
createRouter<Map>({ order: { get }, list: { build } });
// @ts-expect-error -- `acept` is misspelt and `accept` is missing
createRouter<Map>({ order: { get, acept: accept }, list: { build } });
// @ts-expect-error -- the resource `list` is missing
createRouter<Map>({ order: { get, accept } });
// @ts-expect-error -- an operation without an execute function
createRouter<Map>({ order: { get, accept: {} }, list: { build } });

describe('createRouter', () => {
	it('runs a per-item operation once per item, paired with its item', async () => {
		const [output] = await router.call(context('order', 'get'));
		expect(output).toEqual([
			{ json: { got: 0 }, pairedItem: { item: 0 } },
			{ json: { got: 1 }, pairedItem: { item: 1 } },
		]);
	});

	it('hands a batch operation the whole input and returns its outputs as they are', async () => {
		expect(await router.call(context('list', 'build', 3))).toEqual([
			[{ json: { count: 3 } as IDataObject }],
		]);
	});

	it.each([
		['order', 'cancel'],
		['invoice', 'get'],
		['order', 'toString'],
		['__proto__', 'get'],
	])(
		'refuses resource "%s", operation "%s" with a clear NodeOperationError',
		async (resource, operation) => {
			const run = router.call(context(resource, operation));
			await expect(run).rejects.toBeInstanceOf(NodeOperationError);
			await expect(router.call(context(resource, operation))).rejects.toThrow(
				`The operation "${operation}" of resource "${resource}" is not known`,
			);
		},
	);
});
