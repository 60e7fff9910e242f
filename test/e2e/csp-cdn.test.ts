/**
 * The script tag as the README shows it for a CDN, under the Content-Security-Policy
 * that docs/embedding.md lists, with three origins as in the field: the page,
 * the CDN and the backend.
 *
 * The CDN serves the packed npm tarball's files at the jsDelivr/unpkg layout
 * (`/npm/live-drop@<version>/dist/live-drop.js`), with CORS as they do; the page
 * sends exactly the documented policy (its example origins replaced by the test's);
 * the elements count down, play the live stream through hls.js and reserve, and the
 * page must report no `securitypolicyviolation`.
 *
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright';
import { startStaticServer, type DemoConfig, type RunningStaticServer } from '../../demo/static-server.js';
import { chromiumLaunchOptions } from '../support/chromium.js';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const { version } = JSON.parse(read('package.json')) as { version: string };

/** The README's one-line CDN tag. */
function readmeCdnTag(): string {
  const tag = /<script type="module" src="https:\/\/cdn\.jsdelivr\.net\/npm\/live-drop@[^"]+"[^>]*><\/script>/.exec(read('README.md'))?.[0];
  assert.ok(tag, 'the README shows a jsDelivr script tag');
  assert.ok(tag.includes(`/npm/live-drop@${version}/dist/live-drop.js`), `the README's CDN tag names this version (${version})`);
  return tag;
}

/** The policy line of docs/embedding.md. */
function documentedPolicy(): string {
  const block = read('docs/embedding.md').split('<!-- csp-policy:')[1];
  const line = /^Content-Security-Policy: (.+)$/m.exec(block ?? '')?.[1];
  assert.ok(line, 'docs/embedding.md shows the policy');
  return line;
}

describe('the script tag from a versioned CDN path, under the documented Content-Security-Policy', () => {
  let dir: string;
  let cdn: RunningStaticServer;
  let site: RunningStaticServer;
  let backend: RunningServer;
  let browser: Browser;
  const config: DemoConfig = { backend: '', hostToken: '' };
  const pageHeaders: Record<string, string> = {};
  let policy = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'live-drop-cdn-'));
    // What the CDN serves is what npm publishes: the packed tarball, unpacked.
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8' })) as {
      filename: string;
    }[];
    execFileSync('tar', ['-xzf', join(dir, packed[0].filename), '-C', dir]);
    cdn = await startStaticServer({
      port: 0,
      host: '127.0.0.1',
      config,
      mounts: [[`/npm/live-drop@${version}/`, join(dir, 'package')]],
      headers: { 'access-control-allow-origin': '*' },
    });
    mkdirSync(join(dir, 'site'));
    site = await startStaticServer({ port: 0, host: '127.0.0.1', config, mounts: [['/', join(dir, 'site')]], headers: pageHeaders });
    // Three origins: the page on localhost, the CDN and the backend on 127.0.0.1 with ports of their own.
    site.url = site.url.replace('//127.0.0.1:', '//localhost:');
    cdn.url = cdn.url.replace('//localhost:', '//127.0.0.1:');
    backend = await startReferenceServer({ args: ['--allowed-origins', site.url, '--seed-demo', '--demo-start-in', '0'] });
    config.backend = backend.url;

    policy = documentedPolicy()
      .replaceAll('https://drops.example.com', backend.url)
      // docs/embedding.md: from a CDN, its folder instead of 'self'.
      .replace("script-src 'self'", `script-src ${cdn.url}/npm/live-drop@${version}/`);
    pageHeaders['content-security-policy'] = policy;
    const tag = readmeCdnTag().replace('https://cdn.jsdelivr.net', cdn.url).replace('https://drops.example.com', backend.url);
    writeFileSync(
      join(dir, 'site/index.html'),
      `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>A shop with a strict policy</title>${tag}</head>
  <body>
    <drop-countdown drop="demo"></drop-countdown>
    <live-drop-player drop="demo"></live-drop-player>
    <drop-product-card drop="demo" product="hoodie-night"></drop-product-card>
  </body>
</html>`,
    );
    browser = await chromium.launch(chromiumLaunchOptions());
  });

  after(async () => {
    await browser?.close();
    await Promise.all([backend?.stop(), site?.close(), cdn?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('counts down, plays the stream with hls.js and reserves, with zero policy violations', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.addInitScript(() => {
      const seen: string[] = ((window as unknown as { violations: string[] }).violations = []);
      document.addEventListener(
        'securitypolicyviolation',
        (e) => seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'}`),
        true,
      );
    });
    const refused: string[] = [];
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && refused.push(m.text()));
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const chunks: string[] = [];
    page.on('request', (r) => /live-drop-(player|hls)-.*\.js$/.test(r.url()) && chunks.push(r.url()));
    const response = await page.goto(site.url + '/');
    assert.equal(response?.headers()['content-security-policy'], policy, 'the page is served with the documented policy');

    await page.locator('drop-countdown[state="live"]').waitFor({ timeout: 30_000 });
    const card = page.locator('drop-product-card');
    await card.locator('[part~="title"]').waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      () => (document.querySelector('live-drop-player')?.shadowRoot?.querySelector('video')?.currentTime ?? 0) > 0.5,
      undefined,
      {
        timeout: 60_000,
      },
    );
    await card.locator('[part~="size-button"]').click();
    await card.locator('[part~="size-option"][aria-disabled="false"]').first().click();
    await card.locator('[part~="button"][data-primary]').click();
    await page.locator('drop-product-card[state="reserved"]').waitFor({ timeout: 15_000 });

    const folder = `${cdn.url}/npm/live-drop@${version}/dist/`;
    assert.ok(
      chunks.length === 2 && chunks.every((url) => url.startsWith(folder)),
      `the player and hls.js chunks come from beside live-drop.js: ${chunks.join(', ')}`,
    );
    const violations = await page.evaluate(() => (window as unknown as { violations: string[] }).violations);
    assert.deepEqual({ violations, refused }, { violations: [], refused: [] }, `policy: ${policy}`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
