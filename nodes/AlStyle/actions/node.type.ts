import type { AllEntities } from 'n8n-workflow';

export type NodeMap = {
	product: 'getMany' | 'getByArticles' | 'getStockAndPrices' | 'getProperties' | 'getImages';
	category: 'getMany';
	brand: 'getMany';
};

export type AlStyleType = AllEntities<NodeMap>;
