/**
 * <drop-chat> in real Chromium against the real reference server: posting,
 * receiving, the host's moderation, hostile text, and a cut connection.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, executeServerCommand } from '@web/test-runner-commands';
import '../../src/elements/drop-chat/drop-chat.js';
import '../../src/elements/live-drop-player/live-drop-player.js';
import type { LiveDropPlayer } from '../../src/elements/live-drop-player/live-drop-player.js';
import type { DropChat } from '../../src/elements/drop-chat/drop-chat.js';
import type { ChatMessage } from '../../src/protocol/chat.js';
import { joinUrl, routes } from '../../src/protocol/routes.js';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { testBackend, type TestBackend } from '../helpers/backend.js';
import { createDrop, hostCall, type TestDrop } from '../helpers/host-api.js';
import { until } from '../helpers/until.js';

interface Proxy {
  id: string;
  url: string;
}

declare global {
  interface Window {
    __pwned?: string;
  }
}

const root = (el: Element) => el.shadowRoot!;
const texts = (el: DropChat) => [...root(el).querySelectorAll('.messages .message .text')].map((n) => n.textContent);
const field = (el: DropChat, name: string) => root(el).querySelector<HTMLInputElement>(`input[name=${name}]`)!;

async function chat(drop: TestDrop, backend = drop.backend.url, attrs: { name?: string; lang?: string } = {}) {
  const el = await fixture<DropChat>(
    html`<drop-chat backend=${backend} drop=${drop.id} name=${attrs.name ?? 'Ada'} lang=${attrs.lang ?? 'en'}></drop-chat>`,
  );
  await until(() => el.state !== 'loading', 'the chat has loaded', 15_000);
  return el;
}

/** Types a message in the composer and sends it with Enter, as a keyboard user would. */
async function type(el: DropChat, text: string) {
  const input = field(el, 'text');
  input.focus();
  input.value = text;
  root(el).querySelector('form')!.requestSubmit();
  await until(() => !(el as unknown as { sending: boolean }).sending, 'the post was answered');
}

/** Another viewer posting through the HTTP API. */
async function viewer(backend: TestBackend, dropId: string, name: string) {
  const { shopperToken } = await hostCall<{ shopperToken: string }>(backend, 'POST', routes.shoppers());
  return {
    async say(text: string): Promise<ChatMessage> {
      const res = await fetch(joinUrl(backend.url, routes.chat(dropId)), {
        method: 'POST',
        headers: { authorization: `Bearer ${shopperToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text, name }),
      });
      if (!res.ok) throw new Error(`chat → ${res.status}: ${await res.text()}`);
      return res.json();
    },
  };
}

describe('<drop-chat>', () => {
  let backend: TestBackend;
  before(async () => {
    backend = await testBackend();
  });
  const proxies: Proxy[] = [];
  /** A second backend URL for the same server: a second viewer's own connection. */
  const otherConnection = async () => {
    const proxy = await executeServerCommand<Proxy, { target: string }>('fault-proxy:start', { target: backend.url });
    proxies.push(proxy);
    return proxy;
  };
  afterEach(async () => {
    await Promise.all(proxies.splice(0).map((p) => executeServerCommand('fault-proxy:stop', { id: p.id })));
  });

  it('posts from the labelled composer and shows the message to another viewer, with drop-chat-message events on both sides', async function () {
    this.timeout(30_000);
    const drop = await createDrop();
    const other = await otherConnection();
    const mine = await chat(drop, backend.url, { name: 'Mia' });
    const theirs = await chat(drop, other.url, { name: 'Bo' });
    const sent: CustomEvent[] = [];
    const received: CustomEvent[] = [];
    mine.addEventListener('drop-chat-message', (e) => sent.push(e));
    theirs.addEventListener('drop-chat-message', (e) => received.push(e));

    const label = root(mine).querySelector(`label[for=${field(mine, 'text').id}]`);
    expect(label?.textContent).to.equal('Message');
    expect(root(mine).querySelector('[role=log]')).to.exist;
    await type(mine, '  Does the hoodie run small?  ');
    expect(texts(mine)).to.deep.equal(['Does the hoodie run small?']);
    expect(field(mine, 'text').value).to.equal('');
    expect(sent.map((e) => [e.detail.direction, e.detail.message.text])).to.deep.equal([['sent', 'Does the hoodie run small?']]);
    await until(() => texts(theirs).length === 1, 'the other viewer receives it', 15_000);
    expect(root(theirs).querySelector('.author')!.textContent).to.equal('Mia');
    expect(received.map((e) => e.detail.direction)).to.deep.equal(['received']);
    await expectNoAxeViolations(mine, 'the chat shows a message');
  });

  it('tells of one’s own message once, as sent, when the chat event comes back before the post is answered', async function () {
    this.timeout(30_000);
    const drop = await createDrop();
    const proxy = await otherConnection();
    const mine = await chat(drop, proxy.url, { name: 'Mia' });
    const told: string[][] = [];
    mine.addEventListener('drop-chat-message', (e) => told.push([e.detail.direction, e.detail.message.text]));
    // The post's answer comes a second late; the chat event, on the stream's own connection, does not.
    await executeServerCommand('fault-proxy:delay-answers', { id: proxy.id, path: '/chat$', ms: 1000 });
    await type(mine, 'Is the tee boxy?');
    expect(told).to.deep.equal([['sent', 'Is the tee boxy?']]);
    expect(texts(mine)).to.deep.equal(['Is the tee boxy?']);
  });

  it('shows the whole placeholder of the message field while it asks for a name: beside it where the row has room, below it where not', async function () {
    this.timeout(20_000);
    sessionStorage.clear(); // no name chosen yet: the name field shows
    const drop = await createDrop();
    const box = await fixture<HTMLDivElement>(
      html`<div style="width: 300px"><drop-chat backend=${drop.backend.url} drop=${drop.id} lang="en"></drop-chat></div>`,
    );
    const el = box.querySelector('drop-chat')!;
    await until(() => el.state === 'open', 'the chat is open', 15_000);
    const top = (name: string) => Math.round(field(el, name).getBoundingClientRect().top);
    expect(placeholderCut(el), 'px of "Say something…" cut off at 300 px').to.equal(0);
    expect(top('name'), 'the name above the message at 300 px').to.be.below(top('text'));
    box.style.width = '600px';
    await new Promise(requestAnimationFrame);
    expect(placeholderCut(el), 'px cut off at 600 px').to.equal(0);
    expect(top('name'), 'name and message on one row at 600 px').to.equal(top('text'));
  });

  it('keeps markup in names and messages as text', async function () {
    this.timeout(20_000);
    const drop = await createDrop();
    const el = await chat(drop);
    const troll = await viewer(backend, drop.id, '<img src=x onerror=__pwned=1>');
    await troll.say('<script>window.__pwned="text"</script><b>bold</b><svg onload="window.__pwned=\'svg\'"></svg>');
    await until(() => texts(el).length === 1, 'the message arrives', 15_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(window.__pwned).to.equal(undefined);
    expect(root(el).querySelectorAll('.messages script, .messages img, .messages b, .messages svg').length).to.equal(0);
    expect(texts(el)[0]).to.equal('<script>window.__pwned="text"</script><b>bold</b><svg onload="window.__pwned=\'svg\'"></svg>');
    expect(root(el).querySelector('.messages .author')!.textContent).to.equal('<img src=x onerror=__pwned=1>');
  });

  it('removes a message the host takes down, and shows the host mark and the pinned message on top', async function () {
    this.timeout(30_000);
    const drop = await createDrop();
    const el = await chat(drop);
    const spam = await (await viewer(backend, drop.id, 'Spammer')).say('BUY FOLLOWERS');
    const host = await hostCall<ChatMessage>(backend, 'POST', routes.chat(drop.id), { text: 'True to size!' });
    await until(() => texts(el).length === 2, 'both messages', 15_000);
    expect(root(el).querySelector('.mark.host')?.textContent).to.equal('Host');

    await hostCall(backend, 'DELETE', routes.host.chatMessage(drop.id, spam.id));
    await until(() => texts(el).join() === 'True to size!', 'the removed message vanishes', 15_000);

    await hostCall(backend, 'PATCH', routes.host.chat(drop.id), { pinnedMessageId: host.id });
    const pinned = await until(() => root(el).querySelector('[part=pinned]'), 'the pinned message', 15_000);
    expect(pinned.textContent).to.contain('True to size!');
    expect(pinned.compareDocumentPosition(root(el).querySelector('.messages')!) & Node.DOCUMENT_POSITION_FOLLOWING).to.be.ok;
  });

  it('lets a muted shopper see their own messages while nobody else does', async function () {
    this.timeout(30_000);
    const drop = await createDrop();
    const other = await otherConnection();
    const muted = await chat(drop, backend.url, { name: 'Troll' });
    const watcher = await chat(drop, other.url);
    await type(muted, 'first');
    await until(() => texts(watcher).includes('first'), 'the first message reaches the other viewer', 15_000);
    const authorId = (await hostCall<{ messages: ChatMessage[] }>(backend, 'GET', routes.chat(drop.id))).messages[0].author.id;
    await hostCall(backend, 'PUT', routes.host.chatMute(drop.id, authorId));
    await new Promise((r) => setTimeout(r, 2100));
    await type(muted, 'nobody hears me');
    expect(texts(muted)).to.deep.equal(['first', 'nobody hears me']);
    expect(root(muted).querySelector('.notice')!.textContent).to.equal('');
    await (await viewer(backend, drop.id, 'Bo')).say('a real question');
    await until(() => texts(watcher).includes('a real question'), 'a later message arrives', 15_000);
    expect(texts(watcher)).to.not.include('nobody hears me');
  });

  it('says slow mode and chat off plainly, and why a blocked or too-fast message was not sent', async function () {
    this.timeout(30_000);
    const drop = await createDrop();
    const el = await chat(drop);
    await hostCall(backend, 'PATCH', routes.host.chat(drop.id), { slowModeSeconds: 10, blockedTerms: ['knockoff'] });
    await until(() => el.state === 'slow', 'slow mode', 15_000);
    expect(root(el).querySelector('[part=status]')!.textContent).to.equal('Slow mode: 10 s');
    await type(el, 'Is this a KNÖCKOFF?');
    expect(root(el).querySelector('.notice')!.textContent).to.equal('This message can’t be posted');
    expect(field(el, 'text').value, 'a refused message stays in the field').to.equal('Is this a KNÖCKOFF?');
    await new Promise((r) => setTimeout(r, 2100));
    await type(el, 'hello');
    await type(el, 'hello again');
    expect(root(el).querySelector('.notice')!.textContent).to.match(/^Too fast: wait \d+ s$/);

    await hostCall(backend, 'PATCH', routes.host.chat(drop.id), { enabled: false });
    await until(() => el.state === 'off', 'chat off', 15_000);
    expect(root(el).querySelector('[part=status]')!.textContent).to.equal('Chat is off');
    expect(field(el, 'text').disabled).to.equal(true);
    expect(root(el).querySelector<HTMLButtonElement>('button[type=submit]')!.disabled).to.equal(true);
  });

  it('resumes after a cut connection with every message once', async function () {
    this.timeout(40_000);
    const drop = await createDrop();
    const proxy = await otherConnection();
    const el = await chat(drop, proxy.url);
    const poster = await viewer(backend, drop.id, 'Bo');
    await poster.say('before');
    await until(() => texts(el).length === 1, 'the first message', 15_000);
    await executeServerCommand('fault-proxy:refuse', { id: proxy.id, ms: 1500 });
    await executeServerCommand('fault-proxy:cut', { id: proxy.id });
    // One after the other: posted at once, the server may take 'during 2' first, and the chat shows the server's order.
    for (const [i, t] of ['during 1', 'during 2'].entries()) await (await viewer(backend, drop.id, `V${i}`)).say(t);
    await until(
      () => texts(el).length === 3,
      () => `every message after the reconnection (got ${texts(el).join(' | ')})`,
      30_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(texts(el)).to.deep.equal(['before', 'during 1', 'during 2']);
  });

  it('speaks German where the page does, and moves without animation for reduced motion', async function () {
    this.timeout(20_000);
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      const drop = await createDrop();
      const el = await chat(drop, backend.url, { lang: 'de' });
      expect(root(el).querySelector('section')!.getAttribute('aria-label')).to.equal('Live-Chat');
      expect(field(el, 'text').placeholder).to.equal('Schreib etwas…');
      await (await viewer(backend, drop.id, 'Bo')).say('Hallo');
      const message = await until(() => root(el).querySelector('.messages .message'), 'a message', 15_000);
      expect(getComputedStyle(message).animationName).to.equal('none');
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });
});

/** Rectangles of the composer's pieces and the player's control bar, as laid out now. */
/** How much of the message field's placeholder its box leaves out, in px (0: it shows whole). */
function placeholderCut(chat: Element): number {
  const input = root(chat).querySelector<HTMLInputElement>('input[name=text]')!;
  const style = getComputedStyle(input);
  const context = document.createElement('canvas').getContext('2d')!;
  context.font = style.font;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return Math.max(0, Math.ceil(context.measureText(input.placeholder).width - room));
}

function composerLayout(player: LiveDropPlayer) {
  const inner = player.shadowRoot!.querySelector('drop-chat')!;
  const rect = (el: Element | null | undefined) => el!.getBoundingClientRect();
  return {
    composer: rect(root(inner).querySelector('form')),
    name: rect(root(inner).querySelector('input[name=name]')),
    text: rect(root(inner).querySelector('input[name=text]')),
    send: rect(root(inner).querySelector('form button')),
    controls: rect(player.shadowRoot!.querySelector('[part~="controls"]')),
  };
}

describe('<live-drop-player> chat', () => {
  it('shows the drop’s chat in the player, sharing its one event stream, unless chat="off"', async function () {
    this.timeout(30_000);
    const drop = await createDrop();
    await (await viewer(drop.backend, drop.id, 'Bo')).say('hello from the show');
    const sources: string[] = [];
    const Original = window.EventSource;
    window.EventSource = class extends Original {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        sources.push(String(url));
      }
    };
    try {
      const player = await fixture<LiveDropPlayer>(
        html`<live-drop-player backend=${drop.backend.url} drop=${drop.id} playback="native"></live-drop-player>`,
      );
      const inner = await until(() => player.shadowRoot!.querySelector('drop-chat'), 'the chat inside the player', 15_000);
      await until(() => texts(inner).includes('hello from the show'), 'its messages', 15_000);
      expect(inner.getAttribute('variant')).to.equal('overlay');
      expect(sources.filter((u) => u.includes(`/drops/${drop.id}/events`)).length, 'one event stream for the player and its chat').to.equal(
        1,
      );
      player.setAttribute('chat', 'off');
      await player.updateComplete;
      expect(player.shadowRoot!.querySelector('drop-chat')).to.equal(null);
    } finally {
      window.EventSource = Original;
    }
  });

  it('posts under the site’s signed identity given as chat-identity, with the verified mark and no name to choose', async function () {
    this.timeout(30_000);
    sessionStorage.clear();
    const drop = await createDrop();
    const identity = await executeServerCommand<string, { sub: string; name: string }>('live-drop:sign-identity', {
      sub: 'user-7',
      name: 'Grace H.',
    });
    const player = await fixture<LiveDropPlayer>(
      html`<live-drop-player backend=${drop.backend.url} drop=${drop.id} playback="native" chat-identity=${identity}></live-drop-player>`,
    );
    const inner = await until(() => player.shadowRoot!.querySelector('drop-chat'), 'the chat inside the player', 15_000);
    await until(() => inner.state === 'open', 'the chat open', 15_000);
    expect(field(inner, 'name'), 'no name field: the site named the user').to.equal(null);
    await type(inner, 'is the hoodie lined?');
    const mine = await until(
      () =>
        [...root(inner).querySelectorAll('.messages .message')].find(
          (m) => m.querySelector('.text')?.textContent === 'is the hoodie lined?',
        ),
      'the message in the list',
    );
    expect(mine.querySelector('.author')!.textContent).to.equal('Grace H.');
    expect(mine.querySelector('.mark.verified'), 'the verified mark').to.exist;
    expect(mine.querySelector('.mark.verified')!.textContent).to.include('Verified');
    // As the server stores and sends it to everyone (not only this page's own copy of what it sent).
    const state = (await (await fetch(joinUrl(drop.backend.url, routes.chat(drop.id)))).json()) as { messages: ChatMessage[] };
    expect(state.messages.find((m) => m.text === 'is the hoodie lined?')?.author).to.include({ name: 'Grace H.', mark: 'verified' });
  });

  it('puts the chat below a video under 200 px high, with the whole placeholder, and over a taller one or when chat="overlay"', async function () {
    this.timeout(30_000);
    sessionStorage.clear(); // no name chosen yet: the name field shows
    const drop = await createDrop();
    // The theming page's player on a 375 px phone: 290 px wide, 16:9.
    const player = await fixture<LiveDropPlayer>(
      html`<div style="width: 290px"><live-drop-player backend=${drop.backend.url} drop=${drop.id} playback="native"></live-drop-player></div>`,
    ).then((box) => box.querySelector('live-drop-player')!);
    const inner = await until(() => player.shadowRoot!.querySelector('drop-chat'), 'the chat inside the player', 15_000);
    await until(() => inner.state === 'open', 'the chat is open', 15_000);
    const video = player.shadowRoot!.querySelector('[part~="base"]')!;
    const below = () => inner.getBoundingClientRect().top >= video.getBoundingClientRect().bottom;
    await until(
      below,
      () =>
        `the chat below the video (chat top ${inner.getBoundingClientRect().top}, video bottom ${video.getBoundingClientRect().bottom})`,
    );
    expect(Math.round(video.getBoundingClientRect().height), 'the video keeps its 16:9 height').to.equal(163);
    expect(placeholderCut(inner), 'px of "Say something…" cut off').to.equal(0);

    player.style.setProperty('--drop-aspect-ratio', '4 / 5'); // as tall as the demo's phone player: room over the video
    await until(() => !below(), 'the chat back over the taller video');
    player.style.removeProperty('--drop-aspect-ratio');
    await until(below, 'the chat below the low video again');
    player.setAttribute('chat', 'overlay'); // the site's choice wins
    await until(() => !below(), 'the chat over the video with chat="overlay"');
  });

  // A phone's full width (chat over the video), and the demo page's player at a 1280 px window (chat beside it).
  for (const width of [375, 760]) {
    it(`lays the composer out in a ${width} px player with the whole placeholder, clear of its control bar`, async function () {
      this.timeout(40_000);
      sessionStorage.clear(); // no name chosen yet: the name field shows
      const drop = await createDrop({ stream: { hls: 'stream/live.m3u8', poster: 'stream/poster.jpg' } });
      const player = await fixture<LiveDropPlayer>(
        html`<div style="width: ${width}px"><live-drop-player backend=${drop.backend.url} drop=${drop.id} playback="hlsjs"></live-drop-player></div>`,
      ).then((box) => box.querySelector('live-drop-player')!);
      const inner = await until(() => player.shadowRoot!.querySelector('drop-chat'), 'the chat inside the player', 15_000);
      await until(
        () => inner.state === 'open' && player.shadowRoot!.querySelector('[part~="controls"]'),
        () =>
          `playing (player ${player.state}, controls ${!!player.shadowRoot!.querySelector('[part~="controls"]')}), chat open (${inner.state})`,
        30_000,
      );
      player.dispatchEvent(new PointerEvent('pointermove', { bubbles: true }));
      await until(() => !player.controlsHidden, 'controls shown');
      await new Promise((r) => setTimeout(r, 400)); // the chat's move above the controls (300 ms)
      const { composer, name, text, send, controls } = composerLayout(player);
      const row = (r: DOMRect) => Math.round(r.top);
      expect(row(send), 'message and Send on one row').to.equal(row(text));
      expect(send.left, 'Send after the message field').to.be.at.least(text.right);
      expect(row(name), 'the name on their row or above it').to.be.at.most(row(text));
      expect(name.width, 'the name field is wide enough for "Your name"').to.be.at.least(80);
      expect(placeholderCut(inner), 'px of "Say something…" cut off').to.equal(0);
      const overlaps =
        composer.bottom > controls.top &&
        composer.top < controls.bottom &&
        composer.right > controls.left &&
        composer.left < controls.right;
      expect(overlaps, `composer ${row(composer)}–${Math.round(composer.bottom)} overlaps the control bar from ${row(controls)}`).to.equal(
        false,
      );
    });
  }
});
