import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	priceList: 'build' | 'validate';
};

export type KaspiPriceListType = AllEntities<NodeMap>;
