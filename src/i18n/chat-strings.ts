/**
 * The chat's texts, in English and German, in the chat's lazy chunk. Sites
 * override them like the others: `configure({ strings: { de: { chatSend: 'Los' } } })`.
 */
import { textLookup } from './text-lookup.js';
import type { PlayerStringKey } from './player-strings.js';
import type { NoSharedKeys, StringKey } from './strings.js';

export const chatEn = {
  chatLabel: 'Live chat',
  chatMessages: 'Chat messages',
  chatName: 'Your name',
  chatMessage: 'Message',
  chatPlaceholder: 'Say something…',
  chatSend: 'Send',
  chatPinned: 'Pinned',
  chatHost: 'Host',
  chatVerified: 'Verified',
  chatSlowMode: 'Slow mode: {s} s',
  chatOff: 'Chat is off',
  chatEmpty: 'No messages yet. Ask the host anything!',
  chatNew: '{n} new messages',
  chatSays: '{name}: {text}',
  chatWait: 'Too fast: wait {s} s',
  chatDuplicate: 'You just sent that',
  chatBlocked: 'This message can’t be posted',
  chatInvalid: 'Messages are 1–300 characters, without control characters',
  chatFailed: 'Not sent. Try again',
  chatNameFirst: 'Choose a name first',
};

export type ChatStrings = typeof chatEn;
export type ChatStringKey = keyof ChatStrings;

declare module '../core/config.js' {
  // `configure({ strings })` takes the chat's texts too.
  interface LiveDropTexts extends ChatStrings {}
}

// One `configure({ strings })` override reaches every element: see NoSharedKeys.
export type ChatKeysDistinct = NoSharedKeys<ChatStringKey & (StringKey | PlayerStringKey)>;

export const chatDe: ChatStrings = {
  chatLabel: 'Live-Chat',
  chatMessages: 'Chat-Nachrichten',
  chatName: 'Dein Name',
  chatMessage: 'Nachricht',
  chatPlaceholder: 'Schreib etwas…',
  chatSend: 'Senden',
  chatPinned: 'Angeheftet',
  chatHost: 'Host',
  chatVerified: 'Verifiziert',
  chatSlowMode: 'Langsamer Modus: {s} s',
  chatOff: 'Der Chat ist aus',
  chatEmpty: 'Noch keine Nachrichten. Frag den Host!',
  chatNew: '{n} neue Nachrichten',
  chatSays: '{name}: {text}',
  chatWait: 'Zu schnell: warte {s} s',
  chatDuplicate: 'Das hast du gerade geschickt',
  chatBlocked: 'Diese Nachricht kann nicht gesendet werden',
  chatInvalid: 'Nachrichten haben 1–300 Zeichen, ohne Steuerzeichen',
  chatFailed: 'Nicht gesendet. Versuch es noch einmal',
  chatNameFirst: 'Wähle zuerst einen Namen',
};

/** A chat text in `lang` (a BCP 47 tag), with the site's overrides and `{name}` placeholders filled in. */
export const chatText = textLookup({ en: chatEn, de: chatDe });
