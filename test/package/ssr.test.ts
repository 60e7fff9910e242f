/**
 * Server-side rendering: every JavaScript entry of the npm package imports in
 * plain Node, and each element renders with @lit-labs/ssr into declarative
 * shadow DOM in its loading state, without a document. (`live-drop/live-drop.js`,
 * the script-tag build, is for browsers only and is not an entry for Node.)
 * Runs against the build (`npm run build`), imported by the package's own name.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { root } from './packed-project.js';

const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { exports: Record<string, string | { default: string }> };
const entries = Object.entries(pkg.exports)
  .filter(([, target]) => typeof target === 'object' && target.default.endsWith('.js'))
  .map(([subpath]) => `live-drop${subpath.slice(1)}`);

/** Runs a module script in a fresh Node (no DOM globals but Lit's own shim) and returns what it printed. */
async function node(script: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
  return stdout;
}

describe('server-side rendering', () => {
  it('imports every entry in Node without a document', async () => {
    assert.ok(entries.length >= 7, `entries: ${entries.join(', ')}`);
    const out = await node(`${entries.map((e) => `await import('${e}');`).join('\n')}
      const { serverNow } = await import('live-drop');
      console.log(typeof document, Math.abs(serverNow('https://drops.example.com') - Date.now()) < 1000);`);
    assert.equal(out.trim(), 'undefined true', 'no document, and serverNow() is the local clock');
  });

  for (const [tag, attrs] of [
    ['drop-countdown', 'drop="demo"'],
    ['drop-product-card', 'drop="demo" product="hoodie-night"'],
    ['live-drop-player', 'drop="demo"'],
  ]) {
    it(`renders <${tag}> with @lit-labs/ssr into declarative shadow DOM, in its loading state`, async () => {
      const out = await node(`
        import { render } from '@lit-labs/ssr';
        import { collectResultSync } from '@lit-labs/ssr/lib/render-result.js';
        import { html } from 'lit/static-html.js';
        import { configure } from 'live-drop';
        await import('live-drop/${tag}.js');
        configure({ backend: 'https://drops.example.com' });
        console.log(collectResultSync(render(html\`<${tag} ${attrs}></${tag}>\`)));`);
      assert.match(out, new RegExp(`<${tag}[^>]* state="loading"[^>]*><template shadowroot(mode)?="open"`), out.slice(0, 400));
    });
  }
});
