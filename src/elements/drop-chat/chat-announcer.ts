/**
 * What a screen reader hears of the chat: the message list is a log with its
 * own announcements off, and this controller sums up what arrived in a
 * polite live region at most every `intervalMs` ("Mia: does it run small?",
 * or "12 new messages" during a burst), so a busy chat never floods it.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatMessage } from '../../protocol/chat.js';

export class ChatAnnouncer implements ReactiveController {
  /** The sentence in the live region now. */
  text = '';
  #pending: ChatMessage[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #quietUntil = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly say: (count: number, last: ChatMessage) => string,
    private readonly intervalMs = 4000,
  ) {
    host.addController(this);
  }

  add(messages: ChatMessage[]) {
    this.#pending.push(...messages);
    if (this.#timer === undefined) this.#timer = setTimeout(() => this.#flush(), Math.max(0, this.#quietUntil - Date.now()));
  }

  #flush() {
    this.#timer = undefined;
    if (!this.#pending.length) return;
    this.text = this.say(this.#pending.length, this.#pending.at(-1)!);
    this.#pending = [];
    this.#quietUntil = Date.now() + this.intervalMs;
    this.host.requestUpdate();
  }

  hostDisconnected() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = [];
  }
}
