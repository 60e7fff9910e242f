/**
 * `live-drop/react` after server rendering, as Next.js or any React SSR does
 * it, in React 19 and React 18: react-dom/server renders the application
 * (react/app.tsx, through react/server.tsx) in Node, the page carries that
 * markup, and the client bundle (react/client.tsx) imports the elements and
 * calls `hydrateRoot`. esbuild bundles both halves, for React 18 with `react`
 * and `react-dom` taken from the react18 workspace (npm nests React 18 there,
 * beside the repository's React 19). The shopper then holds
 * a size and checks out against the reference server: the `onDropCheckout`
 * handler fires and its `preventDefault()` keeps the card from opening the
 * drop's checkout URL. (React 19 does not attach an `ondrop-checkout` prop on
 * a hydrated custom element, facebook/react#35446: the wrapper listens itself.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright';
import { execFile } from 'node:child_process';
import { startStaticServer, type DemoConfig, type RunningStaticServer } from '../../demo/static-server.js';
import { joinUrl, routes } from '../../src/protocol/routes.js';
import { chromiumLaunchOptions } from '../support/chromium.js';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import type { AppProps } from './react/app.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const react18 = join(here, 'react18/node_modules');

const REACTS: { major: string; alias: Record<string, string> }[] = [
  { major: '19', alias: {} },
  { major: '18', alias: { react: join(react18, 'react'), 'react-dom': join(react18, 'react-dom') } },
];

/**
 * Builds the server half (react/server.tsx) for Node and the client half for
 * the browser with one React, and renders the page's markup in a Node of its
 * own (each bundle defines the elements in Lit's server registry).
 */
async function serverRender(dir: string, alias: Record<string, string>, props: AppProps): Promise<{ version: string; markup: string }> {
  const common = { bundle: true, jsx: 'automatic', alias, logLevel: 'error' } as const;
  await build({
    ...common,
    entryPoints: [join(here, 'react/server.tsx')],
    platform: 'node',
    format: 'cjs',
    outfile: join(dir, 'server.cjs'),
  });
  await build({
    ...common,
    entryPoints: [join(here, 'react/client.tsx')],
    platform: 'browser',
    format: 'esm',
    // React's development build reports hydration mismatches.
    define: { 'process.env.NODE_ENV': '"development"' },
    outfile: join(dir, 'client.js'),
  });
  const script = `const { version, render } = require(${JSON.stringify(join(dir, 'server.cjs'))});
    process.stdout.write(JSON.stringify({ version, markup: render(${JSON.stringify(props)}) }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script]);
  return JSON.parse(stdout) as { version: string; markup: string };
}

describe('live-drop/react after server rendering and hydrateRoot', () => {
  let dir: string;
  let site: RunningStaticServer;
  let backend: RunningServer;
  let browser: Browser;
  const config: DemoConfig = { backend: '', hostToken: '' };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'live-drop-react-'));
    site = await startStaticServer({ port: 0, host: '127.0.0.1', config, mounts: [['/', dir]] });
    backend = await startReferenceServer({ args: ['--allowed-origins', site.url, '--seed-demo', '--demo-start-in', '0'] });
    // The drop sends shoppers to this page at checkout unless the site takes over.
    const patched = await fetch(joinUrl(backend.url, routes.host.drop('demo')), {
      method: 'PATCH',
      headers: { authorization: `Bearer ${backend.hostToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ checkoutUrl: `${site.url}/fallback-checkout?r={reservationId}` }),
    });
    assert.equal(patched.status, 200, await patched.text());
    browser = await chromium.launch(chromiumLaunchOptions());
  });

  after(async () => {
    await browser?.close();
    await Promise.all([backend?.stop(), site?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  for (const { major, alias } of REACTS) {
    it(`React ${major}: renders the elements with their attributes on the server; after hydration the checkout handler fires and prevents the fallback`, async () => {
      const props: AppProps = { backend: backend.url, drop: 'demo', product: 'hoodie-night' };
      const { version, markup } = await serverRender(join(dir, major), alias, props);
      assert.equal(version.split('.')[0], major);
      assert.match(markup, /<drop-product-card backend="[^"]+" drop="demo" product="hoodie-night"><\/drop-product-card>/, markup);
      writeFileSync(
        join(dir, major, 'index.html'),
        `<!doctype html><html lang="en"><head><link rel="icon" href="data:,"></head><body><div id="root">${markup}</div>` +
          `<script type="application/json" id="props">${JSON.stringify(props)}</script>` +
          `<script type="module" src="./client.js"></script></body></html>`,
      );

      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(err.message));
      page.on('console', (msg) => msg.type() === 'error' && problems.push(`${msg.text()} ${msg.location().url}`));
      const fallback: string[] = [];
      page.on('request', (req) => req.url().includes('/fallback-checkout') && fallback.push(req.url()));
      // Every drop-error from the first moment: an element that upgraded before hydration without its drop would say so.
      await page.addInitScript(() => {
        document.addEventListener('drop-error', (e) => console.error(`drop-error ${JSON.stringify((e as CustomEvent).detail)}`), true);
      });
      await page.goto(`${site.url}/${major}/index.html`);
      await page.locator(`html[data-react="${version}"]`).waitFor();

      const card = page.locator('drop-product-card');
      await card.locator('[part~="title"]').waitFor({ timeout: 30_000 });
      assert.equal((await card.locator('[part~="title"]').textContent())?.trim(), 'Night Shift Hoodie — Ink');
      await card.locator('[part~="size-button"]').click();
      await card.locator('[part~="size-option"][aria-disabled="false"]').first().click();
      await card.locator('[part~="button"][data-primary]').click(); // Reserve
      await page.locator('drop-product-card[state="reserved"]').waitFor({ timeout: 15_000 });
      await card.locator('[part~="button"][data-primary]').click(); // Checkout
      await page.getByText('1 item(s) held').waitFor({ timeout: 10_000 });
      // The card opens the checkout URL right after the event returns; give a navigation time to start.
      await page.waitForTimeout(500);
      assert.deepEqual(fallback, [], 'preventDefault() kept the card from opening the checkout URL');
      assert.equal(new URL(page.url()).pathname, `/${major}/index.html`);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
});
