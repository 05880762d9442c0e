import type { AllEntities } from 'n8n-workflow';

export type NodeMap = {
	priceList: 'build' | 'validate';
};

export type KaspiPriceListType = AllEntities<NodeMap>;
