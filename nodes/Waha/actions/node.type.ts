import type { AllEntities } from 'n8n-workflow';

export type NodeMap = {
	message: 'sendText' | 'sendImage' | 'sendFile';
	contact: 'checkExists';
	session: 'getStatus' | 'start' | 'stop' | 'getQr';
	chat: 'startTyping' | 'stopTyping';
};

export type WahaType = AllEntities<NodeMap>;
