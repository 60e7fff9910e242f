/**
 * Finds a Chromium the way a user would expect: Playwright's own browser
 * where it is installed, else `CHROME_PATH`, else Debian's `/usr/bin/chromium`.
 * Used by the browser tests, the end-to-end test and the benchmarks.
 */
import { existsSync } from 'node:fs';
import { chromium, type LaunchOptions } from 'playwright';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

export function chromiumLaunchOptions(): LaunchOptions {
  let bundled = '';
  try {
    bundled = chromium.executablePath();
  } catch {
    // Playwright throws when it has no browser registry entry: not installed.
  }
  if (bundled && existsSync(bundled)) return { headless: true, args: FLAGS };

  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROME_PATH is set to ${fromEnv}, but there is no file there.`);
    return { headless: true, executablePath: fromEnv, args: FLAGS };
  }
  for (const path of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (existsSync(path)) return { headless: true, executablePath: path, args: FLAGS };
  }
  throw new Error(
    'No Chromium found for the browser tests. Install one of:\n' +
      "  npx playwright install chromium      (Playwright's own build)\n" +
      '  sudo apt-get install -y chromium     (Debian/Ubuntu), or\n' +
      '  set CHROME_PATH=/path/to/chrome',
  );
}
