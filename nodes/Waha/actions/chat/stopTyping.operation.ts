import { typingOperation } from './typing';

export const { description, execute } = typingOperation('stopTyping');
