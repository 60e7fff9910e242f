/**
 * The React and Vue examples from docs/frameworks.md do what they say at run
 * time: bundled by Vite against the packed package, served on one origin,
 * talking to the reference server on another, they render the card, and the
 * framework's own event binding (`ondrop-checkout` in React 19,
 * `onDropCheckout` in Vue and on the `live-drop/react` components) receives
 * the checkout.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright';
import { DEFAULT_BACKEND, startStaticServer, type DemoConfig, type RunningStaticServer } from '../../demo/static-server.js';
import { chromiumLaunchOptions } from '../support/chromium.js';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { packedProject, root, run, viteBuild, type PackedProject } from './packed-project.js';

const EXAMPLES = [
  { name: 'react', file: 'examples/react/main.tsx', mount: 'root' },
  { name: 'react-components', file: 'examples/react-components/main.tsx', mount: 'root' },
  { name: 'vue', file: 'examples/vue/main.ts', mount: 'app' },
];

describe('framework examples at run time', () => {
  let packed: PackedProject;
  let site: RunningStaticServer;
  let backend: RunningServer;
  let browser: Browser;
  const config: DemoConfig = { backend: '', hostToken: '' };

  before(async () => {
    packed = await packedProject();
    site = await startStaticServer({ port: 0, host: '127.0.0.1', config, mounts: [['/', packed.project]] });
    backend = await startReferenceServer({ args: ['--allowed-origins', site.url, '--seed-demo', '--demo-start-in', '0'] });
    browser = await chromium.launch(chromiumLaunchOptions());
  });

  after(async () => {
    await browser?.close();
    await Promise.all([backend?.stop(), site?.close()]);
    packed?.remove();
  });

  for (const example of EXAMPLES) {
    it(`${example.name}: renders the card and its checkout handler receives the reservation`, async () => {
      const app = join(packed.project, example.name);
      mkdirSync(app);
      const source = readFileSync(join(root, example.file), 'utf8');
      assert.ok(source.includes(DEFAULT_BACKEND), 'the example configures the demo backend');
      const entry = example.file.split('/').pop()!;
      writeFileSync(join(app, entry), source.replace(DEFAULT_BACKEND, backend.url));
      writeFileSync(join(app, 'index.html'), `<div id="${example.mount}"></div><script type="module" src="./${entry}"></script>`);
      await viteBuild(app);

      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(`${site.url}/${example.name}/out/index.html`);
      // Both frameworks set `drop` and `product` as properties (not attributes): the page has one card.
      const card = page.locator('drop-product-card');
      await card.locator('[part~="title"]').waitFor({ timeout: 30_000 });
      assert.equal((await card.locator('[part~="title"]').textContent())?.trim(), 'Night Shift Hoodie — Ink');
      await page.getByText('0 item(s) held').waitFor();

      await card.locator('[part~="size-button"]').click();
      await card.locator('[part~="size-option"][aria-disabled="false"]').first().click();
      await card.locator('[part~="button"][data-primary]').click();
      await page.locator('drop-product-card[state="reserved"]').waitFor({ timeout: 15_000 });
      await card.locator('[part~="button"][data-primary]').click(); // Checkout
      await page.getByText('1 item(s) held').waitFor({ timeout: 10_000 });
      assert.deepEqual(errors, []);
      await page.close();
    });
  }

  describe('Vue templates type-checked by vue-tsc with live-drop/vue', () => {
    const good = `<script setup lang="ts">
import type {} from 'live-drop';
import type {} from 'live-drop/vue';
const onCheckout = (event: HTMLElementEventMap['drop-checkout']) => event.detail.reservation.id;
</script>
<template>
  <drop-countdown drop="demo" />
  <drop-product-card drop="demo" product="hoodie-night" compact @drop-checkout="onCheckout" />
</template>
`;
    const check = async (name: string, sfc: string) => {
      const dir = join(packed.project, `vue-sfc-${name}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'App.vue'), sfc);
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'ESNext',
            moduleResolution: 'Bundler',
            lib: ['ES2023', 'DOM'],
            strict: true,
            noEmit: true,
            types: [],
          },
          // docs/frameworks.md: strictTemplates makes unknown attributes and events errors.
          vueCompilerOptions: { strictTemplates: true },
          include: ['*.vue'],
        }),
      );
      return run(process.execPath, [join(root, 'node_modules/vue-tsc/bin/vue-tsc.js'), '-p', 'tsconfig.json'], { cwd: dir }).then(
        () => '',
        (err: { stdout: string }) => err.stdout,
      );
    };

    it('accepts the elements with their attributes and a typed checkout handler', async () => {
      assert.equal(await check('good', good), '');
    });

    for (const [what, bad, error] of [
      ['a misspelt attribute', good.replace('<drop-countdown drop="demo"', '<drop-countdown dropp="demo"'), /'drop' is missing|dropp/],
      ['a misspelt event', good.replace('@drop-checkout', '@drop-chekout'), /[Cc]hekout/],
      [
        'a handler for another payload',
        good.replace("HTMLElementEventMap['drop-checkout']", "HTMLElementEventMap['drop-started']"),
        /not assignable/,
      ],
    ] as const) {
      it(`rejects ${what}`, async () => {
        const out = await check(what.replace(/\W+/g, '-'), bad);
        assert.match(out, /error TS/, `vue-tsc must fail:\n${out}`);
        assert.match(out, error);
      });
    }
  });
});
