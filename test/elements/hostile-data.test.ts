/**
 * Hostile data: product and drop data full of markup, script, absurd numbers
 * and holes, reaching <drop-product-card> and <drop-countdown> the two ways it
 * can: through the host API of the real reference server, and from a fake
 * backend (fetch and EventSource stubbed in the page) that serves what no
 * honest server would. Text stays text, no script runs, and data the elements
 * cannot use puts them in their error state instead of half-rendering.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/elements/drop-countdown/drop-countdown.js';
import '../../src/elements/drop-product-card/drop-product-card.js';
import type { DropCountdown } from '../../src/elements/drop-countdown/drop-countdown.js';
import type { DropProductCard } from '../../src/elements/drop-product-card/drop-product-card.js';
import type { Drop } from '../../src/protocol/types.js';
import { button, pickSize, shadow, textOf, untilState } from '../helpers/card.js';
import { createDrop, productInput, serverTime } from '../helpers/host-api.js';
import { until } from '../helpers/until.js';

/** Every payload sets window.__pwned when it runs. */
const SCRIPT_TITLE = '<script>window.__pwned = "title script"</script>';
const IMG_TITLE = '<img src=x onerror="window.__pwned = \'title img\'">';
const DESCRIPTION = `</p><style>*{display:none}</style><a href="javascript:window.__pwned='link'">click</a><svg onload="window.__pwned='svg'"></svg>\${window.__pwned='template'}`;
const ALT = '" onerror="window.__pwned=\'alt\'" x="';
// void(): if it runs, it sets the flag without replacing the test page with its value.
const PWNED_URL = "javascript:void(window.__pwned='url')";
const NONSENSE = /NaN|undefined|Infinity|\[object|null/;

declare global {
  interface Window {
    __pwned?: string;
  }
}

/** No payload ran, and the shadow root holds no element a payload could have smuggled in. */
async function expectInert(el: Element) {
  // Give an injected <img onerror> or <svg onload> time to fire.
  await new Promise((r) => setTimeout(r, 300));
  expect(window.__pwned, 'a payload ran').to.equal(undefined);
  const root = shadow(el);
  expect(root.querySelectorAll('script, style, iframe, object, embed, a[href^="javascript"]').length, 'smuggled elements').to.equal(0);
  for (const node of root.querySelectorAll('*')) {
    for (const attr of node.getAttributeNames()) expect(attr, `<${node.localName}> carries an event handler attribute`).not.to.match(/^on/);
  }
  const imgs = [...root.querySelectorAll('img')];
  expect(
    imgs.every((img) => img.getAttribute('part') === 'image'),
    'only the product image is an <img>',
  ).to.equal(true);
}

async function card(backend: string, dropId: string, productId: string) {
  return fixture<DropProductCard>(
    html`<drop-product-card backend=${backend} drop=${dropId} product=${productId} lang="en-US"></drop-product-card>`,
  );
}

async function countdown(backend: string, dropId: string, target?: string) {
  return fixture<DropCountdown>(
    html`<drop-countdown backend=${backend} drop=${dropId} target=${target ?? ''} lang="en-US"></drop-countdown>`,
  );
}

// ------------------------------------------------------------ fake backend

const FAKE = 'http://127.0.0.1:9/fake-backend';
let serial = 0;

interface FakeStream {
  emit(type: string, data: string, id: string): void;
}

/**
 * Serves `drop` (any JSON, valid or not) from FAKE through a stubbed fetch and
 * EventSource; everything else goes to the real ones. Returns the streams the
 * page opened, to push events into, and `restore()`.
 */
function fakeBackend(drops: Record<string, unknown>) {
  const realFetch = window.fetch;
  const RealEventSource = window.EventSource;
  const streams: FakeStream[] = [];
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.startsWith(FAKE)) return realFetch(input, init);
    const path = new URL(url).pathname.slice(new URL(FAKE).pathname.length);
    const headers = { 'content-type': 'application/json', 'x-server-time': String(Date.now()) };
    if (path === '/v1/time') return new Response(JSON.stringify({ now: Date.now() }), { headers });
    const method = init?.method ?? 'GET';
    if (method === 'POST' && path === '/v1/shoppers')
      return new Response(JSON.stringify({ shopperToken: 'fake-shopper-token' }), { status: 201, headers });
    const reserveIn = /^\/v1\/drops\/([^/]+)\/reservations$/.exec(path)?.[1];
    if (method === 'POST' && reserveIn) {
      const { productId, variantId, quantity } = JSON.parse(String(init?.body)) as {
        productId: string;
        variantId: string;
        quantity: number;
      };
      const now = Date.now();
      const reservation = {
        id: `r${serial++}`,
        dropId: decodeURIComponent(reserveIn),
        productId,
        variantId,
        quantity,
        status: 'held',
        createdAt: now,
        expiresAt: now + 60_000,
      };
      return new Response(JSON.stringify(reservation), { status: 201, headers });
    }
    const id = decodeURIComponent(/^\/v1\/drops\/([^/]+)$/.exec(path)?.[1] ?? '');
    if (id in drops) return new Response(typeof drops[id] === 'string' ? (drops[id] as string) : JSON.stringify(drops[id]), { headers });
    return new Response(JSON.stringify({ type: 'urn:live-drop:problem:not-found', code: 'not-found', title: 'Not found', status: 404 }), {
      status: 404,
      headers: { 'content-type': 'application/problem+json' },
    });
  };
  window.EventSource = class extends EventTarget {
    readonly url: string;
    readyState = 0;
    onopen: ((e: Event) => void) | null = null;
    onerror: ((e: Event) => void) | null = null;
    onmessage: ((e: MessageEvent) => void) | null = null;
    constructor(url: string | URL, init?: EventSourceInit) {
      super();
      this.url = String(url);
      if (!this.url.startsWith(FAKE)) return new RealEventSource(url, init) as unknown as this;
      streams.push({ emit: (type, data, id) => this.dispatchEvent(new MessageEvent(type, { data, lastEventId: id })) });
      setTimeout(() => {
        this.readyState = 1;
        this.onopen?.(new Event('open'));
      });
    }
    close() {
      this.readyState = 2;
    }
  } as unknown as typeof EventSource;
  return {
    streams,
    restore() {
      window.fetch = realFetch;
      window.EventSource = RealEventSource;
    },
  };
}

/** A drop that passes the protocol's checks, to spoil field by field. */
function validDrop(id: string): Drop {
  return {
    id,
    title: 'Fake drop',
    brand: 'KAIRO',
    description: '',
    startsAt: Date.now() - 60_000,
    endsAt: null,
    status: 'live',
    stream: { hls: null, replay: null, poster: null },
    products: [
      {
        id: 'tee',
        title: 'Tee',
        description: 'A tee',
        images: [],
        prices: [{ currency: 'USD', amount: 4500 }],
        variants: [{ id: 'm', label: 'M', available: 10 }],
        limitPerCustomer: 2,
      },
    ],
    featured: null,
    featuredHistory: [],
    checkoutUrl: null,
    holdMs: 60_000,
  };
}

describe('hostile data', function () {
  this.timeout(20_000);

  beforeEach(() => {
    delete window.__pwned;
  });

  describe('through the host API of the reference server', () => {
    it('renders markup and script in titles, descriptions, labels and alt text as plain text, and runs none of it', async () => {
      const t = await createDrop({
        title: SCRIPT_TITLE,
        brand: IMG_TITLE,
        description: DESCRIPTION,
        products: [
          productInput(
            'tee',
            { m: 10 },
            {
              title: IMG_TITLE + SCRIPT_TITLE,
              description: DESCRIPTION,
              images: [{ url: 'media/tee-signal.svg', alt: ALT }],
            },
          ),
        ],
      });
      const el = await card(t.backend.url, t.id, 'tee');
      await untilState(el, 'available');
      expect(shadow(el).querySelector('[part="title"]')!.textContent).to.equal(IMG_TITLE + SCRIPT_TITLE);
      expect(textOf(el)).to.contain('<a href="javascript:window.__pwned=\'link\'">click</a>');
      expect(shadow(el).querySelector('img')!.alt).to.equal(ALT);
      await expectInert(el);
    });

    it('shows the most extreme numbers the server accepts as readable figures', async () => {
      const t = await createDrop({
        products: [
          productInput('tee', { m: 1_000_000 }, { prices: [{ currency: 'USD', amount: 1_000_000_000_000 }], limitPerCustomer: 1000 }),
          productInput('yen', { m: 1 }, { prices: [{ currency: 'JPY', amount: 999_999_999_999 }] }),
          productInput('dinar', { m: 0 }, { prices: [{ currency: 'BHD', amount: 1 }] }),
        ],
      });
      for (const [product, state] of [
        ['tee', 'available'],
        ['yen', 'low-stock'],
        ['dinar', 'sold-out'],
      ] as const) {
        const el = await card(t.backend.url, t.id, product);
        await untilState(el, state);
        const price = shadow(el).querySelector('[part="price"]')!.textContent!;
        expect(price, `${product} price`).to.match(/\d/);
        expect(textOf(el), product).not.to.match(NONSENSE);
      }
    });

    it('counts down to a start time thousands of years away without printing nonsense', async () => {
      const t = await createDrop({ startsAt: (await serverTime()) + 100 * 365 * 86_400_000 * 1000 });
      const el = await countdown(t.backend.url, t.id);
      await untilState(el, 'counting');
      expect(textOf(el)).to.match(/\d/);
      expect(textOf(el)).not.to.match(NONSENSE);
    });

    it('ignores a target attribute full of markup and counts to the drop instead', async () => {
      const t = await createDrop({ startsAt: (await serverTime()) + 3_600_000 });
      const el = await countdown(t.backend.url, t.id, IMG_TITLE);
      await untilState(el, 'counting');
      expect(textOf(el)).not.to.match(NONSENSE);
      await expectInert(el);
    });

    it('refuses javascript: and data: URLs for images, streams and checkout (422)', async () => {
      for (const input of [
        { checkoutUrl: PWNED_URL },
        { stream: { hls: 'data:application/vnd.apple.mpegurl,#EXTM3U' } },
        { products: [productInput('tee', { m: 1 }, { images: [{ url: PWNED_URL, alt: '' }] })] },
      ]) {
        const error = await createDrop(input).then(
          () => undefined,
          (e: Error) => e,
        );
        expect(error?.message, JSON.stringify(input)).to.contain('422');
      }
    });
  });

  describe('from a backend that breaks the protocol', () => {
    let fake: ReturnType<typeof fakeBackend>;
    afterEach(() => fake?.restore());

    const spoiled: [string, (d: Drop) => unknown][] = [
      ['a product without prices', (d) => ({ ...d, products: [{ ...d.products[0], prices: [] }] })],
      ['a product without a title', (d) => ({ ...d, products: [{ ...d.products[0], title: undefined }] })],
      ['variants that are not a list', (d) => ({ ...d, products: [{ ...d.products[0], variants: '<script>window.__pwned=1</script>' }] })],
      ['negative stock', (d) => ({ ...d, products: [{ ...d.products[0], variants: [{ id: 'm', label: 'M', available: -5 }] }] })],
      ['a price that is not a number', (d) => ({ ...d, products: [{ ...d.products[0], prices: [{ currency: 'USD', amount: '45.00' }] }] })],
      ['a start time that is text', (d) => ({ ...d, startsAt: '<img src=x onerror="window.__pwned=1">' })],
      ['a start time past the end of the calendar', (d) => ({ ...d, startsAt: 1e300 })],
      ['a ten-megabyte title', (d) => ({ ...d, products: [{ ...d.products[0], title: 'A'.repeat(10_000_000) }] })],
      ['a body that is not JSON', () => '<html><script>window.__pwned=1</script></html>'],
      ['an array instead of a drop', () => []],
    ];
    for (const [what, spoil] of spoiled) {
      it(`shows the error state for ${what}`, async () => {
        const id = `fake-${serial++}`;
        fake = fakeBackend({ [id]: spoil(validDrop(id)) });
        const el = await card(FAKE, id, 'tee');
        await untilState(el, 'error');
        expect(shadow(el).querySelector('[part~="error"]'), 'an error message').to.exist;
        const cd = await countdown(FAKE, id);
        await untilState(cd, 'error');
        await expectInert(el);
        await expectInert(cd);
      });
    }

    it('shows a javascript: image URL as a broken image and does not follow a javascript: checkout URL', async () => {
      const id = `fake-${serial++}`;
      const drop = validDrop(id);
      drop.checkoutUrl = PWNED_URL;
      drop.products[0].images = [{ url: PWNED_URL, alt: ALT }];
      drop.products[0].variants.push({ id: 'l', label: 'L', available: 10 });
      fake = fakeBackend({ [id]: drop });
      const el = await card(FAKE, id, 'tee');
      await untilState(el, 'available');
      await pickSize(el, 'M');
      button(el, 'Reserve').click();
      await untilState(el, 'reserved');
      let checkout: CustomEvent | undefined;
      el.addEventListener('drop-checkout', (e) => (checkout = e), { once: true });
      button(el, 'Checkout').click();
      await until(() => checkout !== undefined, 'drop-checkout fired');
      expect(checkout!.detail.checkoutUrl, 'the javascript: URL is not handed on').to.equal(null);
      await expectInert(el);
    });

    it('keeps the last good stock when the stream sends malformed levels, and shows markup in a streamed snapshot as text', async () => {
      const id = `fake-${serial++}`;
      fake = fakeBackend({ [id]: validDrop(id) });
      const el = await card(FAKE, id, 'tee');
      await untilState(el, 'available');
      await until(() => fake.streams.length > 0, 'the card opened the event stream');
      const stream = fake.streams[0];
      const level = (available: unknown) => JSON.stringify({ levels: [{ productId: 'tee', variantId: 'm', available }] });
      for (const bad of [
        level(-5),
        level('lots'),
        level(1.5),
        level(null),
        '{"levels":',
        '<script>window.__pwned=1</script>',
        level('∞').replace('"∞"', '1e400'),
      ] /* JSON's number too large for a double */) {
        stream.emit('stock', bad, String(serial++));
      }
      await el.updateComplete;
      expect(el.state).to.equal('available');
      stream.emit('stock', level(3), String(serial++));
      await untilState(el, 'low-stock');
      expect(textOf(el)).to.contain('Only 3 left');

      const snapshot = validDrop(id);
      snapshot.products[0].title = SCRIPT_TITLE;
      snapshot.products[0].description = DESCRIPTION;
      stream.emit('snapshot', JSON.stringify(snapshot), String(serial++));
      await until(() => shadow(el).querySelector('[part="title"]')!.textContent === SCRIPT_TITLE, 'the streamed title shows as text');
      await expectInert(el);
    });
  });
});
