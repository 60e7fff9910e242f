/**
 * Screenshots of every demo page, at desktop and phone width, light and dark,
 * before and after the drop starts: for reviewing the demo's design.
 *
 *   node --import tsx scripts/screenshots.ts [--out test-results/screenshots] [--start-in 20]
 *
 * Needs a build (`npm run build`). Uses the same Chromium as the tests.
 */
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright';
import { launchDemo } from '../demo/launch.js';
import { chromiumLaunchOptions } from '../test/support/chromium.js';

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'test-results/screenshots' }, 'start-in': { type: 'string', default: '20' } },
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

const pause = (ms: number) => (page: Page) => page.waitForTimeout(ms);
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
