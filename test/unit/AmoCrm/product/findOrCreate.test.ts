import { amoContext, FakeAmo, runAmo, useAmoUnit } from '../../../helpers/amocrm';
import {} from '../../../helpers/http';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});
useAmoUnit();

describe('note and product operations', () => {
	it('Product Find or Create by SKU finds by the SKU field, else creates in the products catalog', async () => {
		const fake = new FakeAmo().install();
		fake.elements.set(7, { id: 7, name: 'Чайник', sku: 'SKU-10' });
		const params = {
			resource: 'product',
			operation: 'findOrCreate',
			catalogId: '',
			name: 'Кружка',
			price: 2500,
		};
		await expect(runAmo(amoContext({ ...params, sku: 'SKU-1' }))).resolves.toEqual([
			expect.objectContaining({ id: expect.any(Number), sku: 'SKU-1', created: true }),
		]);
		await expect(runAmo(amoContext({ ...params, sku: 'SKU-10' }))).resolves.toEqual([
			expect.objectContaining({ id: 7, created: false }),
		]);
	});
});
