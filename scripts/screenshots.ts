/**
 * Screenshots of every demo page, at desktop and phone width, light and dark,
 * before and after the drop starts: for reviewing the demo's design.
 *
 *   node --import tsx scripts/screenshots.ts [--out test-results/screenshots] [--start-in 20]
 *   node --import tsx scripts/screenshots.ts --readme    only the README's pictures, into docs/images/
 *
 * Needs a build (`npm run build`). Uses the same Chromium as the tests.
 */
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright';
import { launchDemo, type RunningDemo } from '../demo/launch.js';
import { chromiumLaunchOptions } from '../test/support/chromium.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'test-results/screenshots' },
    'start-in': { type: 'string', default: '20' },
    readme: { type: 'boolean', default: false },
  },
});
const out = values.out;
mkdirSync(out, { recursive: true });

const VIEWPORTS = { desktop: { width: 1280, height: 860 }, phone: { width: 375, height: 812 } };
type Scheme = 'light' | 'dark';

async function shoot(browser: Browser, url: string, name: string, scheme: Scheme, settle: (page: Page) => Promise<void>) {
  for (const [label, viewport] of Object.entries(VIEWPORTS)) {
    const context = await browser.newContext({ viewport, colorScheme: scheme, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error(`${name}: ${err.message}`));
    await page.goto(url);
    await settle(page);
    const file = `${out}/${name}-${label}-${scheme}`;
    await page.screenshot({ path: `${file}.png`, fullPage: true });
    await page.screenshot({ path: `${file}-fold.png` }); // the first screen, at full resolution
    console.log(`${file}.png`);
    await context.close();
  }
}

/** The live section with a featured product over the video, and the host console: the README's pictures. */
async function readmePictures(browser: Browser, demo: RunningDemo) {
  mkdirSync('docs/images', { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  await page.goto(demo.site);
  await page.locator('.hero drop-countdown[state="live"]').waitFor({ timeout: 60_000 });
  const feature = await fetch(`${demo.backend}/v1/host/drops/demo/feature`, {
    method: 'POST',
    headers: { authorization: `Bearer ${demo.hostToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ productId: 'hoodie-dawn' }),
  });
  if (!feature.ok) throw new Error(`featuring failed: ${feature.status}`);
  await page.locator('live-drop-player [part~="featured"] drop-product-card').waitFor({ timeout: 60_000 });
  await page.waitForTimeout(1500); // the slide-in
  await page.evaluate(() => {
    document.documentElement.style.scrollBehavior = 'auto';
    window.scrollTo(0, document.querySelector('#live')!.getBoundingClientRect().top + window.scrollY - 40);
  });
  await page.waitForTimeout(500);
  await page.screenshot({ path: 'docs/images/demo-drop-page.jpg', type: 'jpeg', quality: 82 });
  const host = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  await host.goto(demo.host);
  await host.locator('button[data-feature="hoodie-dawn"][aria-pressed="true"]').waitFor({ timeout: 30_000 });
  await host.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
  await host.waitForFunction(() => document.getElementById('show-clock')?.textContent !== '—');
  await host.screenshot({ path: 'docs/images/demo-host-console.jpg', type: 'jpeg', quality: 82 });
  console.log('docs/images/demo-drop-page.jpg\ndocs/images/demo-host-console.jpg');
}

const pause = (ms: number) => (page: Page) => page.waitForTimeout(ms);
if (values.readme) {
  const demo = await launchDemo({ demoStartIn: 3 });
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    await readmePictures(browser, demo);
  } finally {
    await browser.close();
    await demo.stop();
  }
  process.exit(0);
}
const demo = await launchDemo({ demoStartIn: Number(values['start-in']) });
const startsAt = Date.now() + Number(values['start-in']) * 1000;
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  await shoot(browser, demo.site, 'drop-countdown', 'dark', pause(2500));
  await shoot(browser, demo.host, 'host', 'dark', pause(2500));
  await shoot(browser, demo.theming, 'theming', 'light', pause(2500));
  await shoot(browser, demo.theming, 'theming', 'dark', pause(2500));
  await new Promise((r) => setTimeout(r, Math.max(0, startsAt - Date.now()) + 3000));
  await shoot(browser, demo.site, 'drop-live', 'dark', pause(6000));
} finally {
  await browser.close();
  await demo.stop();
}
