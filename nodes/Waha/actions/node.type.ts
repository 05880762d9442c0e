import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	message: 'sendText' | 'sendImage' | 'sendFile';
	contact: 'checkExists';
	session: 'getStatus' | 'start' | 'stop' | 'getQr';
	chat: 'startTyping' | 'stopTyping';
};

export type WahaType = AllEntities<NodeMap>;
