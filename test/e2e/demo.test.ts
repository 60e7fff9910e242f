/**
 * The demo as a person runs it: `demo/start.ts` (what `npm start` runs after
 * the build) with the drop starting 15 s later, Chromium with three pages: a
 * shopper on the drop page, the host console, and a second shopper. Each step
 * leaves a screenshot in test-results/e2e-demo/.
 *
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright';
import { launchDemo, type RunningDemo } from '../../demo/launch.js';
import { chromiumLaunchOptions } from '../support/chromium.js';

const SHOTS = 'test-results/e2e-demo';
const root = fileURLToPath(new URL('../..', import.meta.url));
const PRODUCT = 'hoodie-night';

interface DropJson {
  startsAt: number;
  products: { id: string; variants: { id: string; label: string; available: number }[] }[];
}

/** Polls `read` until it returns `expected` (generous deadlines: the machine may be busy). */
async function eventually<T>(read: () => Promise<T>, expected: T, timeout: number, what: string) {
  const deadline = Date.now() + timeout;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read().catch(() => undefined);
    if (last === expected) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`${what}: expected ${JSON.stringify(expected)}, last saw ${JSON.stringify(last)}`);
}

describe('the demo, end to end', () => {
  let demo: RunningDemo;
  let browser: Browser;
  let shopper: Page;
  let host: Page;
  let secondShopper: Page;
  /** A size of the product that has stock to reserve, and how many are left before. */
  let size: { id: string; label: string; available: number };
  const errors: string[] = [];

  /** A size option's accessible name: the visible note ("Only 3 left") at five or fewer, the count otherwise. */
  const optionName = (label: string, left: number) => (left <= 5 ? `${label}, Only ${left} left` : `${label}, ${left} left`);
  const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage });
  /** What the shopper's card shows, for waiting on it and for saying what went wrong. */
  const cardLook = (page: Page) =>
    // (No named functions inside: tsx would wrap them in a helper the page does not have.)
    card(page)
      .evaluate((el) => [
        el.getAttribute('state'),
        ...['[part~="size-button"]', '.body'].map((s) => el.shadowRoot!.querySelector(s)?.textContent?.replace(/\s+/g, ' ').trim()),
      ])
      .then(([state, sizeButton, text]) => ({ state, sizeButton, text }));
  const card = (page: Page) => page.locator(`.product-grid drop-product-card[product="${PRODUCT}"]`);
  async function openPage(url: string, name: string) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    const page = await context.newPage();
    page.on('pageerror', (err) => errors.push(`${name}: ${err.message}`));
    await page.goto(url);
    // Playwright scrolls an element into view before clicking it. The demo scrolls smoothly, so that scroll would
    // still be moving the page, and the size list anchored to its button, when the click lands (seen: the click
    // on a size missed it on a busy machine). A person clicks what has stopped moving.
    await page.addStyleTag({ content: 'html { scroll-behavior: auto !important; }' });
    return page;
  }

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    demo = await launchDemo({ demoStartIn: 15 }); // long enough to see the countdown on a busy machine
    browser = await chromium.launch(chromiumLaunchOptions());
    const drop = (await (await fetch(`${demo.backend}/v1/drops/demo`)).json()) as DropJson;
    const variants = drop.products.find((p) => p.id === PRODUCT)!.variants;
    size = variants.find((v) => v.available >= 2)!;
    assert.ok(size, `${PRODUCT} has a size with stock`);
    assert.ok(drop.startsAt > Date.now(), 'the demo drop has not started yet');
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('prints the drop page, host console and theming URLs, on another origin than the backend', () => {
    for (const url of [demo.site, demo.host, demo.theming, demo.backend]) assert.match(url, /^http:\/\/localhost:\d+/);
    assert.notEqual(new URL(demo.site).origin, new URL(demo.backend).origin);
    assert.ok(demo.hostToken.length >= 16);
  });

  it('counts down on the drop page, then goes live', async () => {
    shopper = await openPage(demo.site, 'shopper');
    await shopper.locator('.hero drop-countdown[state="counting"]').waitFor({ timeout: 20_000 });
    await shot(shopper, '01-countdown');
    await shopper.locator('.hero drop-countdown[state="live"]').waitFor({ timeout: 30_000 });
    await card(shopper).and(shopper.locator(':not([state="locked"]):not([state="loading"])')).waitFor({ timeout: 15_000 });
    await shot(shopper, '02-live');
  });

  it('plays the live video: its current time advances', async () => {
    const video = shopper.locator('live-drop-player video');
    await video.waitFor({ state: 'attached', timeout: 20_000 });
    await shopper.waitForFunction(
      () => (document.querySelector('live-drop-player')?.shadowRoot?.querySelector('video')?.currentTime ?? 0) > 0.5,
      undefined,
      {
        timeout: 45_000,
      },
    );
    const first = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
    await shopper.waitForFunction(
      (t) => (document.querySelector('live-drop-player')?.shadowRoot?.querySelector('video')?.currentTime ?? 0) > t + 1,
      first,
      {
        timeout: 20_000,
      },
    );
    await shot(shopper, '03-playing');
  });

  it('features a product from the host console, and the player slides it in', async () => {
    host = await openPage(demo.host, 'host');
    const feature = host.locator(`button[data-feature="${PRODUCT}"]`);
    await feature.click({ timeout: 20_000 });
    await host.locator(`button[data-feature="${PRODUCT}"][aria-pressed="true"]`).waitFor({ timeout: 10_000 });
    await shot(host, '04-host-featured');
    await shopper.locator(`live-drop-player [part~="featured"] drop-product-card[product="${PRODUCT}"]`).waitFor({ timeout: 45_000 });
    await shot(shopper, '05-featured-in-player');
  });

  it('chats: the shopper asks in the player, the host answers, pins and removes from the console', async () => {
    const chat = shopper.locator('live-drop-player drop-chat');
    await chat.locator('input[name="name"]').fill('Mia', { timeout: 20_000 });
    await chat.locator('input[name="text"]').fill('Does the hoodie run small?');
    await chat.locator('input[name="text"]').press('Enter');
    const question = host.locator('#chat-log .chat-item', { hasText: 'Does the hoodie run small?' });
    await question.waitFor({ timeout: 15_000 });
    await host.locator('#chat-text').fill('True to size!');
    await host.locator('#chat-post button').click();
    const answer = host.locator('#chat-log .chat-item', { hasText: 'True to size!' });
    await answer.waitFor({ timeout: 15_000 });
    await answer.locator('button[data-action="pin"]').click();
    await chat.locator('[part="pinned"]', { hasText: 'True to size!' }).waitFor({ timeout: 15_000 });
    await question.locator('button[data-action="remove"]').click();
    await chat.locator('.messages .message', { hasText: 'Does the hoodie run small?' }).waitFor({ state: 'detached', timeout: 15_000 });
    await shot(host, '05b-host-chat');
    await shot(shopper, '05c-chat-in-player');
  });

  it('moderates from the console: a muted shopper goes unseen by the others but sees their own, slow mode is said plainly, a blocked term is refused', async () => {
    const chat = shopper.locator('live-drop-player drop-chat');
    const watcher = await openPage(demo.site, 'watcher');
    const theirs = watcher.locator('live-drop-player drop-chat');
    const message = (where: typeof chat, text: string) => where.locator('.messages .message', { hasText: text });
    // One message per 2 s per author (the server's default rate): the next one is sent 2 s after the server answered
    // the last (its message or a notice shows), else it would be refused as too fast.
    const lastSaid = new Map<typeof chat, number>([[chat, Date.now()]]);
    const say = async (where: typeof chat, text: string) => {
      await sleep(Math.max(0, (lastSaid.get(where) ?? 0) + 2_100 - Date.now()));
      await where.locator('input[name="text"]').fill(text);
      await where.locator('input[name="text"]').press('Enter');
      await message(where, text).or(where.locator('[part="notice"]')).first().waitFor({ timeout: 15_000 });
      lastSaid.set(where, Date.now());
    };
    await theirs.locator('input[name="name"]').fill('Noah', { timeout: 20_000 });

    // Mute: Mia's next message reaches nobody else, though she sees it; the host's later one reaches everyone.
    await say(chat, 'Any discount codes?');
    const item = host.locator('#chat-log .chat-item', { hasText: 'Any discount codes?' });
    await item.waitFor({ timeout: 15_000 });
    await message(theirs, 'Any discount codes?').waitFor({ timeout: 15_000 });
    await item.locator('button[data-action="mute"]').click();
    await host.locator('#chat-muted', { hasText: '1 muted' }).waitFor({ timeout: 10_000 });
    await say(chat, 'DISCOUNT CODES NOW');
    await message(chat, 'DISCOUNT CODES NOW').waitFor({ timeout: 15_000 });
    await host.locator('#chat-text').fill('Welcome, everyone!');
    await host.locator('#chat-post button').click();
    await message(theirs, 'Welcome, everyone!').waitFor({ timeout: 15_000 });
    assert.equal(await message(theirs, 'DISCOUNT CODES NOW').count(), 0, 'the muted shopper’s message does not reach the others');
    assert.equal(await message(chat, 'DISCOUNT CODES NOW').count(), 1, 'the muted shopper still sees their own message');

    // Slow mode, set in the console: every viewer is told, and a second message within it is refused with the wait.
    await host.locator('#chat-slow').fill('10');
    await host.locator('#chat-settings button[type="submit"]').click();
    await theirs.locator('[part="status"]', { hasText: 'Slow mode: 10 s' }).waitFor({ timeout: 15_000 });
    await chat.locator('[part="status"]', { hasText: 'Slow mode: 10 s' }).waitFor({ timeout: 15_000 });
    await say(theirs, 'Does the tee shrink?');
    await message(theirs, 'Does the tee shrink?').waitFor({ timeout: 15_000 });
    await say(theirs, 'Hello?');
    await theirs.locator('[part="notice"]', { hasText: /Too fast: wait \d+ s/ }).waitFor({ timeout: 15_000 });
    await shot(watcher, '05d-chat-slow-mode');

    // A blocked term (slow mode off again): the message is refused and never reaches anyone.
    await host.locator('#chat-slow').fill('0');
    await host.locator('#chat-terms').fill('knockoff');
    await host.locator('#chat-settings button[type="submit"]').click();
    await theirs.locator('[part="status"]').waitFor({ state: 'detached', timeout: 15_000 });
    await say(theirs, 'Is this a KNÖCKOFF?');
    await theirs.locator('[part="notice"]', { hasText: 'This message can’t be posted' }).waitFor({ timeout: 15_000 });
    await host.locator('#chat-text').fill('Thanks for watching!');
    await host.locator('#chat-post button').click();
    await message(chat, 'Thanks for watching!').waitFor({ timeout: 15_000 });
    assert.equal(await message(chat, 'KNÖCKOFF').count(), 0, 'the blocked message reaches no one');
    assert.equal(await host.locator('#chat-log .chat-item', { hasText: 'KNÖCKOFF' }).count(), 0, 'not even the host');
    await shot(host, '05e-host-chat-moderation');
    await watcher.context().close();
  });

  it('reserves a size on the drop page and hands checkout to the page’s cart', async () => {
    secondShopper = await openPage(demo.site, 'second shopper');
    const option = (page: Page) => card(page).locator(`[part~="size-option"]#size-${size.id}`);
    await option(secondShopper).waitFor({ state: 'attached', timeout: 20_000 });
    assert.equal(await option(secondShopper).getAttribute('aria-label'), optionName(size.label, size.available));

    await card(shopper).locator('[part~="size-button"]').click();
    await option(shopper).click();
    // The button shows the picked size: the click on the option landed.
    await eventually(
      () => cardLook(shopper).then((c) => c.sizeButton),
      `Size ${size.label}`,
      10_000,
      'the size button after picking a size',
    );
    await card(shopper).locator('[part~="button"][data-primary]').click();
    await eventually(() => cardLook(shopper).then((c) => c.state), 'reserved', 15_000, 'the card after Reserve').catch(
      async (error: Error) => {
        await shot(shopper, '06-not-reserved');
        throw new Error(
          `${error.message}; the card: ${JSON.stringify(await cardLook(shopper))}; page errors: ${errors.join(' | ') || 'none'}`,
        );
      },
    );
    await shot(shopper, '06-reserved');

    await card(shopper).locator('[part~="button"][data-primary]').click(); // Checkout
    await shopper.locator('#cart[data-open] .cart-line').waitFor({ timeout: 10_000 });
    await shot(shopper, '07-cart', false); // the drawer is fixed: the visible screen shows it best
  });

  it('shows the stock fall on another shopper’s page and in the host console, without a reload', async () => {
    const option = card(secondShopper).locator(`[part~="size-option"]#size-${size.id}`);
    const left = optionName(size.label, size.available - 1);
    await eventually(() => option.getAttribute('aria-label'), left, 15_000, 'size option on the second shopper’s page');
    await shot(secondShopper, '08-stock-fell');
    const stock = host.locator(`input[data-stock="${PRODUCT}/${size.id}"]`);
    await eventually(() => stock.inputValue(), String(size.available - 1), 15_000, 'stock in the host console');
    await host.locator('#reservation-rows tr[data-status="held"]').first().waitFor({ timeout: 15_000 });
    await shot(host, '09-host-reservation');
  });

  it('pays in the cart: the demo’s own server confirms the hold with the host token it keeps, and the host console shows the order', async () => {
    const line = shopper.locator('#cart .cart-line').first();
    const reservationId = await line.getAttribute('data-reservation');
    await shopper.locator('#cart .pay-button').click();
    await shopper.locator('#cart .cart-line[data-status="confirmed"]').waitFor({ timeout: 15_000 });
    assert.match((await line.textContent()) ?? '', /Ordered/);
    await host.locator('#reservation-rows tr[data-status="confirmed"]').first().waitFor({ timeout: 15_000 });
    // The page itself cannot confirm: its shopper token is refused.
    const refused = await shopper.evaluate(
      async ({ backend, id }) => {
        const token = Object.entries(sessionStorage).find(([k]) => k.startsWith('live-drop:shopper:'))?.[1];
        const res = await fetch(`${backend}/v1/reservations/${id}/confirm`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
        return { status: res.status, code: (await res.json()).code };
      },
      { backend: demo.backend, id: reservationId },
    );
    assert.deepEqual(refused, { status: 403, code: 'forbidden' });
  });

  it('sets stock from the host console, and the shopper sees the size sell out', async () => {
    const other = size.id === 's' ? 'xl' : 's';
    const option = card(secondShopper).locator(`[part~="size-option"]#size-${other}`);
    assert.equal(await option.getAttribute('aria-disabled'), 'false', `${other} is on sale before`);
    const stock = host.locator(`input[data-stock="${PRODUCT}/${other}"]`);
    await stock.fill('0');
    await stock.press('Enter'); // a number input commits on Enter or blur
    await stock.blur();
    await eventually(() => option.getAttribute('aria-disabled'), 'true', 15_000, 'sold-out size on the shopper’s page');
    assert.match((await option.getAttribute('aria-label')) ?? '', /sold out/i);
  });

  it('ends the show from the host console, and the shopper’s card closes', async () => {
    host.once('dialog', (dialog) => void dialog.accept());
    await host.locator('#end').click();
    await host.locator('#status[data-status="ended"]').waitFor({ timeout: 15_000 });
    await secondShopper.locator(`.product-grid drop-product-card[product="tee-signal"][state="ended"]`).waitFor({ timeout: 15_000 });
    await shot(secondShopper, '10-ended');
    assert.deepEqual(errors, [], 'no uncaught errors on any page');
  });

  it('fits a 375 px phone without sideways scrolling: the drop page, the host console and the theming page', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, colorScheme: 'dark' });
    try {
      const page = await context.newPage();
      for (const url of [demo.site, demo.host, demo.theming]) {
        await page.goto(url);
        await page.locator('drop-product-card[state]:not([state="loading"]), #status').first().waitFor({ timeout: 20_000 });
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 375, `${url} is ${width} px wide at a 375 px viewport`);
      }
    } finally {
      await context.close();
    }
  });

  it('has no accessibility violations (axe) on the drop page, the host console and the theming page, light and dark', async () => {
    const axe = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
    const theming = await Promise.all(
      (['light', 'dark'] as const).map(async (colorScheme) => {
        const page = await (await browser.newContext({ colorScheme })).newPage();
        await page.goto(demo.theming);
        await page.locator('.theme-neon drop-product-card[state]:not([state="loading"])').waitFor({ timeout: 20_000 });
        return page;
      }),
    );
    const found: string[] = [];
    for (const page of [shopper, host, ...theming]) {
      await page.addScriptTag({ content: axe });
      const violations = await page.evaluate(async () => {
        const run = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe
          .run;
        return (await run()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
      found.push(...violations.map((v) => `${page.url()} ${v}`));
    }
    assert.deepEqual(found, []);
  });
});

describe('npm start', () => {
  it('refuses a port that is taken, naming the flag to change, before starting anything', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'demo/start.ts', '--port', String(port), '--no-open'], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (c: Buffer) => (output += c.toString()));
        child.stderr.on('data', (c: Buffer) => (output += c.toString()));
        child.on('exit', (code) => resolve({ code, output }));
      });
      assert.equal(result.code, 1);
      assert.match(result.output, new RegExp(`port ${port} is already in use.*--port <port>`, 's'));
      assert.doesNotMatch(result.output, /listening on/, 'no backend was started');
    } finally {
      taken.close();
    }
  });
});
