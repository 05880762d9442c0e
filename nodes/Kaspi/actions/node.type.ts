import type { AllEntities } from 'n8n-workflow';

export type NodeMap = {
	order: 'get' | 'getMany' | 'getEntries' | 'accept';
};

export type KaspiType = AllEntities<NodeMap>;
