import type { AllEntities } from 'n8n-workflow';

export type NodeMap = {
	deal: 'create' | 'update' | 'get' | 'getMany' | 'searchByCode' | 'syncOrders';
	contact: 'findByPhone' | 'create' | 'findOrCreate';
	note: 'add';
	product: 'findOrCreate' | 'link';
};

export type AmoCrmType = AllEntities<NodeMap>;
