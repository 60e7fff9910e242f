/**
 * The script-tag build on a page from another origin than the backend, as a
 * site owner deploys it: the plain-HTML example (examples/html/index.html)
 * with dist/live-drop.js and its chunks copied beside it, served from one
 * origin, talking to the reference server on another through CORS. A second
 * server that does not list the page's origin must be refused by the browser.
 *
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright';
import { startStaticServer, type DemoConfig, type RunningStaticServer } from '../../demo/static-server.js';
import { chromiumLaunchOptions } from '../support/chromium.js';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SHOTS = 'test-results/e2e-script-tag';

/** The one fake here: a browser from before Baseline 2026, without CSS anchor positioning (Chromium has it). */
function withoutAnchorPositioning(page: Page) {
  return page.addInitScript(() => {
    const supports = CSS.supports.bind(CSS) as (a: string, b?: string) => boolean;
    CSS.supports = ((a: string, b?: string) => (/^(position|anchor)-/.test(a) ? false : supports(a, b))) as typeof CSS.supports;
  });
}

describe('the script-tag build on another origin', () => {
  let dir: string;
  let site: RunningStaticServer;
  let allowed: RunningServer;
  let refusing: RunningServer;
  let browser: Browser;
  const config: DemoConfig = { backend: '', hostToken: '' };

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'live-drop-site-'));
    copyFileSync(join(root, 'examples/html/index.html'), join(dir, 'index.html'));
    for (const f of readdirSync(join(root, 'dist'))) if (/^live-drop.*\.js$/.test(f)) copyFileSync(join(root, 'dist', f), join(dir, f));
    site = await startStaticServer({ port: 0, host: '127.0.0.1', config, mounts: [['/', dir]] });
    const origins = `${site.url},${site.url.replace('//localhost:', '//127.0.0.1:')}`;
    const demoDrop = ['--seed-demo', '--demo-start-in', '0'];
    [allowed, refusing] = await Promise.all([
      startReferenceServer({ args: ['--allowed-origins', origins, ...demoDrop] }),
      startReferenceServer({ args: ['--allowed-origins', 'https://another-shop.example', ...demoDrop] }),
    ]);
    browser = await chromium.launch(chromiumLaunchOptions());
  });

  after(async () => {
    await browser?.close();
    await Promise.all([allowed?.stop(), refusing?.stop(), site?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(backend: string): Promise<{ page: Page; errors: string[] }> {
    config.backend = backend;
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(site.url + '/');
    return { page, errors };
  }

  it('loads the elements, the drop and live stock from the backend, and reserves across origins', async () => {
    const { page, errors } = await open(allowed.url);
    assert.notEqual(new URL(page.url()).origin, new URL(allowed.url).origin);
    const card = page.locator('drop-product-card[product="hoodie-night"]');
    await page.locator('drop-countdown[state="live"]').waitFor({ timeout: 30_000 });
    await card.locator('[part~="title"]').waitFor({ timeout: 30_000 });
    assert.equal((await card.locator('[part~="title"]').textContent())?.trim(), 'Night Shift Hoodie — Ink');

    // Reserving sends the shopper's bearer token: a preflighted cross-origin POST.
    await card.locator('[part~="size-button"]').click();
    await card.locator('[part~="size-option"][aria-disabled="false"]').first().click();
    await card.locator('[part~="button"][data-primary]').click();
    await page.locator('drop-product-card[product="hoodie-night"][state="reserved"]').waitFor({ timeout: 15_000 });
    await card.locator('[part~="button"][data-primary]').click(); // Checkout: the example's own cart takes it
    await page.getByText(/^Held: hoodie-night, size \w+\.$/).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: `${SHOTS}/allowed-origin.png`, fullPage: true });
    assert.deepEqual(errors, []);
  });

  it('places the size list with CSS, and fetches the Floating UI chunk only where CSS anchor positioning is missing', async () => {
    for (const anchoring of [true, false]) {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      if (!anchoring) {
        await withoutAnchorPositioning(page);
      }
      const chunks: string[] = [];
      page.on('request', (r) => /live-drop-size-list-float-.*\.js$/.test(r.url()) && chunks.push(r.url()));
      config.backend = allowed.url;
      await page.goto(site.url + '/');
      const card = page.locator('drop-product-card[product="hoodie-night"]');
      await card.locator('[part~="size-button"]').waitFor({ timeout: 30_000 });
      await card.locator('[part~="size-button"]').click();
      const list = card.locator('[part~="size-list"]');
      await list.waitFor({ state: 'visible' });
      const [l, b] = await Promise.all([list.boundingBox(), card.locator('[part~="size-button"]').boundingBox()]);
      assert.ok(l && b);
      const against = Math.abs(l.y - (b.y + b.height + 6)) <= 1 || Math.abs(l.y + l.height - (b.y - 6)) <= 1;
      assert.ok(against && Math.abs(l.x - b.x) <= 1, `the list sits against its button: ${JSON.stringify({ l, b })}`);
      assert.equal(
        chunks.length,
        anchoring ? 0 : 1,
        anchoring ? 'no fallback chunk where CSS places the list' : 'the fallback chunk, once',
      );
      await page.close();
    }
  });

  it('lets a shopper cancel or repeat an open while the Floating UI chunk is still loading, and leaves nothing running after', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await withoutAnchorPositioning(page);
    // A slow network for the chunk only: it is asked for as the card connects and arrives 4 s later.
    await page.route(/live-drop-size-list-float-.*\.js$/, async (route) => {
      await new Promise((r) => setTimeout(r, 4000));
      await route.continue();
    });
    config.backend = allowed.url;
    await page.goto(site.url + '/');
    await page.evaluate(() => {
      document.body.append(Object.assign(document.createElement('input'), { id: 'elsewhere' }));
      document.body.style.paddingBottom = '2000px'; // so the page can scroll
    });
    const card = page.locator('drop-product-card[product="hoodie-night"]');
    const button = card.locator('[part~="size-button"]');
    const list = card.locator('[part~="size-list"]');
    await button.click({ timeout: 30_000 });
    await page.locator('#elsewhere').click(); // changes their mind while the chunk loads
    await button.click();
    await button.press('Escape');
    await button.click(); // and opens it once more: this open is the one that stands
    await list.waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForTimeout(300);
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    await list.press('Escape');
    await list.waitFor({ state: 'hidden' });
    // Nothing keeps placing the closed list: its position does not follow a scroll any more.
    const top = await list.evaluate((l) => l.style.top);
    const scrolled = await page.evaluate(() => {
      const before = window.scrollY;
      window.scrollBy(0, -300);
      return before - window.scrollY;
    });
    await page.waitForTimeout(300);
    assert.ok(scrolled > 100, `the page scrolled (${scrolled}px)`);
    assert.equal(await list.evaluate((l) => l.style.top), top);
    await page.close();
  });

  it('still opens the size list, and lets a size be picked, when the Floating UI chunk cannot load', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await withoutAnchorPositioning(page);
    let aborted = 0;
    await page.route(/live-drop-size-list-float-.*\.js$/, (route) => (aborted++, route.abort('connectionfailed')));
    config.backend = allowed.url;
    await page.goto(site.url + '/');
    const card = page.locator('drop-product-card[product="hoodie-night"]');
    await card.locator('[part~="size-button"]').click({ timeout: 30_000 });
    const option = card.locator('[part~="size-option"][aria-disabled="false"]').first();
    await option.waitFor({ state: 'visible' });
    const label = (await option.locator('span').first().textContent())!;
    await option.click();
    assert.equal((await card.locator('.size-value').textContent())?.trim(), label);
    assert.ok(aborted >= 1, 'the chunk was asked for, and refused');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows an error, not a drop, when the backend does not allow the page’s origin', async () => {
    const { page } = await open(refusing.url);
    await page.locator('drop-product-card[product="hoodie-night"][state="error"]').waitFor({ timeout: 30_000 });
    await page.locator('drop-countdown[state="error"]').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${SHOTS}/refused-origin.png`, fullPage: true });
  });
});
