/**
 * Al-Style's product Get Properties: an empty or malformed article list refused.
 */
import { runAlStyle, useAlStyleUnit } from '../../../helpers/alstyle';

useAlStyleUnit();

describe('Al-Style node', () => {
	it('refuses an empty or malformed article list, and honours continueOnFail', async () => {
		await expect(
			runAlStyle({ resource: 'product', operation: 'getProperties', articles: ' , ' }),
		).rejects.toThrow('Articles is empty');
		await expect(
			runAlStyle({ resource: 'product', operation: 'getProperties', articles: '1; <x>' }),
		).rejects.toThrow('Article "<x>" is not an Al-Style article number');
		const out = await runAlStyle(
			{ resource: 'product', operation: 'getProperties', articles: '' },
			0,
			true,
		);
		expect(out[0]).toMatchObject({ json: { error: 'Articles is empty' }, pairedItem: { item: 0 } });
	});
});
