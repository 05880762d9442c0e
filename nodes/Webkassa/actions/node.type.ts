import type { AllEntities } from 'n8n-workflow';

export type NodeMap = {
	receipt: 'createSale' | 'createReturn' | 'get';
	shift: 'xReport' | 'zReport' | 'history';
	cash: 'moneyIn' | 'moneyOut';
	cashbox: 'getMany';
	session: 'renewToken';
};

export type WebkassaType = AllEntities<NodeMap>;
