/**
 * `import 'live-drop/drop-chat.js'` registers `<drop-chat>` now. The main entry loads it lazily instead.
 */
export { DropChat, type ChatState } from './elements/drop-chat/drop-chat.js';
