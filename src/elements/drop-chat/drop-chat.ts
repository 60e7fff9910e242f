import { html, nothing, type PropertyValues } from 'lit';
import { ApiError } from '../../core/api-client.js';
import { chatStore, type ChatStore } from '../../core/chat-store.js';
import { StoreController } from '../../core/store-controller.js';
import { readTab, writeTab } from '../../core/tab-storage.js';
import { themeStyles } from '../../core/theme.styles.js';
import { chatText } from '../../i18n/chat-strings.js';
import { CHAT_MESSAGE_MAX, CHAT_NAME_MAX, type ChatMessage } from '../../protocol/chat.js';
import { DropElement } from '../drop-element.js';
import { ChatAnnouncer } from './chat-announcer.js';
import { chatStyles } from './drop-chat.styles.js';

/** What the chat shows, reflected as its `state` attribute. */
export type ChatState = 'loading' | 'open' | 'slow' | 'off' | 'error';

const NAME_KEY = 'live-drop:chat-name';
const length = (s: string) => [...s].length;

/**
 * @summary The drop's live chat: messages as they come, the pinned one on top, and a composer.
 *
 * @description Shares the drop's one event stream with the other elements of the page (no second connection).
 * Messages arrive in batches; the newest is at the bottom, and the list keeps the last 200 however long the show
 * runs. Host and verified messages carry their marks; messages the host removes vanish; slow mode and a chat that
 * is off are said plainly. The list is a log that a screen reader does not read out message by message during a
 * burst: a polite live region sums up at most every few seconds. Names and messages are always text, never markup.
 * A shopper posts under a name they choose (kept for the tab), or, with `identity`, under the name the site signed.
 * Lazy-loaded: the script-tag module fetches this chunk the first time the page contains the tag.
 *
 * @fires drop-chat-message - A message was sent by this viewer or received from the stream. `detail: { dropId, message, direction }` (`direction`: `sent` or `received`).
 * @fires drop-error - The drop could not be loaded. `detail: { code, message }`
 *
 * @csspart base - The chat box.
 * @csspart pinned - The pinned message.
 * @csspart status - "Slow mode: 10 s", "Chat is off".
 * @csspart messages - The message list (a log).
 * @csspart message - One message.
 * @csspart author - A message's author name.
 * @csspart mark - The host or verified mark.
 * @csspart text - A message's text.
 * @csspart composer - The form to post.
 * @csspart input - The name and message fields.
 * @csspart button - The send button.
 * @csspart notice - Why a message was not sent.
 *
 * @cssprop --drop-accent - The send button and focus ring.
 * @cssprop --drop-surface - Background of the chat box.
 * @cssprop --drop-text - Text colour.
 * @cssprop --drop-radius - Corner radius.
 * @cssprop --drop-font - Font stack (default: the page's font family).
 */
export class DropChat extends DropElement<ChatState> {
  static override properties = {
    identity: {},
    name: {},
    variant: { reflect: true },
    state: { reflect: true },
    notice: { attribute: false },
    sending: { attribute: false },
  };
  static override styles = [themeStyles, chatStyles];

  /** An identity token the site signed for its logged-in user: messages carry the site's name and the verified mark. */
  identity: string | null = null;

  /** The name to post under (else the shopper chooses one, kept for the tab). */
  name: string | null = null;

  /** `panel` (default) or `overlay`: light text without a box, fading towards the top, for over a video. */
  variant: 'panel' | 'overlay' = 'panel';

  /** `loading`, `open`, `slow` (slow mode), `off` (the host switched the chat off) or `error`. */
  state: ChatState = 'loading';

  /** Why the last message was not sent. */
  private notice = '';
  private sending = false;

  /** This element's texts in its language. */
  readonly #t = this.locale.texts(chatText);
  readonly #chat = new StoreController(this, () => this.#store()?.$chat);
  readonly #announcer = new ChatAnnouncer(this, (n, last) =>
    n === 1 ? this.#t('chatSays', { name: last.author.name, text: last.text }) : this.#t('chatNew', { n }),
  );
  #listening: { store: ChatStore; stop: () => void } | undefined;
  /** Whether the list was scrolled to its end before the update: then it follows the newest message. */
  #atEnd = true;

  #store(): ChatStore | undefined {
    const backend = this.source.resolution.backend;
    return backend && this.drop ? chatStore(backend, this.drop) : undefined;
  }

  protected computeState(): ChatState {
    const view = this.#chat.value;
    if (!view?.ready) return 'loading';
    if (!view.settings.enabled) return 'off';
    return view.settings.slowModeSeconds ? 'slow' : 'open';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const store = this.isConnected ? this.#store() : undefined;
    if (store !== this.#listening?.store) {
      this.#listening?.stop();
      this.#listening = store && {
        store,
        stop: store.onArrival((messages) => {
          this.#announcer.add(messages);
          for (const message of messages) this.emit('drop-chat-message', { dropId: store.dropId, message, direction: 'received' });
        }),
      };
    }
    const list = this.renderRoot.querySelector?.('.messages');
    this.#atEnd = !list || list.scrollHeight - list.scrollTop - list.clientHeight < 32;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const list = this.renderRoot.querySelector('.messages');
    if (list && this.#atEnd) list.scrollTop = list.scrollHeight;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#listening?.stop();
    this.#listening = undefined;
  }

  #knownName(): string {
    return this.name ?? readTab(NAME_KEY) ?? '';
  }

  #send = async (e: SubmitEvent) => {
    e.preventDefault();
    const store = this.#store();
    const form = e.target as HTMLFormElement;
    const field = form.elements.namedItem('text') as HTMLInputElement;
    const nameField = form.elements.namedItem('name') as HTMLInputElement | null;
    const text = field.value.trim();
    const name = (nameField?.value ?? this.#knownName()).trim();
    if (!store || this.sending) return;
    if (!text || length(text) > CHAT_MESSAGE_MAX) return void (this.notice = this.#t('chatInvalid'));
    if (!this.identity && (!name || length(name) > CHAT_NAME_MAX)) {
      this.notice = this.#t('chatNameFirst');
      return nameField?.focus();
    }
    this.sending = true;
    this.notice = '';
    try {
      const message = await store.send(text, { name, identity: this.identity });
      if (!this.identity && !this.name) writeTab(NAME_KEY, name);
      field.value = '';
      this.#atEnd = true;
      this.emit('drop-chat-message', { dropId: store.dropId, message, direction: 'sent' });
    } catch (error) {
      this.notice = this.#refusal(error);
    } finally {
      this.sending = false;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('input[name=text]')?.focus();
  };

  #refusal(error: unknown): string {
    if (!(error instanceof ApiError)) return this.#t('chatFailed');
    switch (error.code) {
      case 'too-many-requests':
      case 'slow-mode':
        return this.#t('chatWait', { s: Number(error.retryAfter) || 2 });
      case 'duplicate-message':
        return this.#t('chatDuplicate');
      case 'message-blocked':
        return this.#t('chatBlocked');
      case 'chat-off':
        return this.#t('chatOff');
      case 'validation-failed':
        return this.#t('chatInvalid');
    }
    return this.#t('chatFailed');
  }

  override render() {
    if (this.state === 'error') return html`<div part="base" class="base" role="alert"><p class="status">${this.problemText()}</p></div>`;
    const view = this.#chat.value;
    const settings = view?.settings;
    const off = this.state === 'off';
    const askName = !this.identity && !this.#knownName();
    return html`<section part="base" class="base" aria-label=${this.#t('chatLabel')}>
      ${settings?.pinned ? html`<div part="pinned" class="pinned" role="note"><span class="pin">${this.#t('chatPinned')}</span>${this.#message(settings.pinned)}</div>` : nothing}
      ${
        off || this.state === 'slow'
          ? html`<p part="status" class="status">${off ? this.#t('chatOff') : this.#t('chatSlowMode', { s: settings!.slowModeSeconds })}</p>`
          : nothing
      }
      <div part="messages" class="messages" role="log" aria-live="off" aria-label=${this.#t('chatMessages')} tabindex="0">
        ${view?.ready && !view.messages.length ? html`<p class="empty">${this.#t('chatEmpty')}</p>` : nothing}
        ${(view?.messages ?? []).map((m) => html`<p part="message" class="message">${this.#message(m)}</p>`)}
      </div>
      <form part="composer" class="composer" @submit=${this.#send}>
        ${
          askName
            ? html`<label class="visually-hidden" for="name">${this.#t('chatName')}</label
              ><input part="input" id="name" name="name" class="name" autocomplete="nickname" placeholder=${this.#t('chatName')} ?disabled=${off} />`
            : nothing
        }
        <label class="visually-hidden" for="text">${this.#t('chatMessage')}</label>
        <input part="input" id="text" name="text" class="text" autocomplete="off" enterkeyhint="send" placeholder=${this.#t('chatPlaceholder')} ?disabled=${off} />
        <button part="button" type="submit" ?disabled=${off || this.sending || this.state === 'loading'}>${this.#t('chatSend')}</button>
      </form>
      <p part="notice" class="notice" role="status">${this.notice}</p>
      <div class="visually-hidden" aria-live="polite">${this.#announcer.text}</div>
    </section>`;
  }

  #message(m: ChatMessage) {
    const mark = m.author.mark;
    return html`<span part="author" class="author">${m.author.name}</span>${
      mark
        ? html`<span part="mark" class="mark ${mark}">${mark === 'host' ? this.#t('chatHost') : html`✓<span class="visually-hidden">${this.#t('chatVerified')}</span>`}</span>`
        : nothing
    }
      <span part="text" class="text">${m.text}</span>`;
  }
}

customElements.define('drop-chat', DropChat);

declare global {
  interface HTMLElementTagNameMap {
    'drop-chat': DropChat;
  }
}
