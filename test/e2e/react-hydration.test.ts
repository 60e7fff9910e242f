/**
 * `live-drop/react` after server rendering, as Next.js or any React SSR does
 * it: react-dom/server renders the application (react/app.tsx) in Node, the
 * page carries that markup, and the client bundle (react/client.tsx, built by
 * esbuild) imports the elements and calls `hydrateRoot`. The shopper then holds
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
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright';
import { createElement, version } from 'react';
import { renderToString } from 'react-dom/server';
import { startStaticServer, type DemoConfig, type RunningStaticServer } from '../../demo/static-server.js';
import { joinUrl, routes } from '../../src/protocol/routes.js';
import { chromiumLaunchOptions } from '../support/chromium.js';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { App, type AppProps } from './react/app.js';

const here = fileURLToPath(new URL('.', import.meta.url));

describe(`live-drop/react after server rendering and hydrateRoot (React ${version})`, () => {
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
    await build({
      entryPoints: [join(here, 'react/client.tsx')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      jsx: 'automatic',
      // React's development build reports hydration mismatches.
      define: { 'process.env.NODE_ENV': '"development"' },
      outfile: join(dir, 'client.js'),
      logLevel: 'error',
    });
    browser = await chromium.launch(chromiumLaunchOptions());
  });

  after(async () => {
    await browser?.close();
    await Promise.all([backend?.stop(), site?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders the elements with their attributes on the server; after hydration the checkout handler fires and prevents the fallback', async () => {
    const props: AppProps = { backend: backend.url, drop: 'demo', product: 'hoodie-night' };
    const markup = renderToString(createElement(App, props));
    assert.match(markup, /<drop-product-card backend="[^"]+" drop="demo" product="hoodie-night"><\/drop-product-card>/, markup);
    writeFileSync(
      join(dir, 'index.html'),
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
    await page.goto(`${site.url}/index.html`);

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
    assert.equal(new URL(page.url()).pathname, '/index.html');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
