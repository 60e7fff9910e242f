/**
 * The import graph has no loops and no upward arrows. madge reads every
 * import of src/ and server/ (type-only and dynamic ones included: a cycle
 * of types is still a loop a reader has to untangle); in the browser code
 * each arrow points down `elements → i18n → core → protocol`, and the server
 * shares only `src/protocol/` with the browser.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
// @ts-expect-error madge ships no types
import madge from 'madge';
import { root } from '../../scripts/manifest.js';

interface MadgeResult {
  obj(): Record<string, string[]>;
  circular(): string[][];
}

const graph: Promise<MadgeResult> = madge(['src', 'server'], { baseDir: root, fileExtensions: ['ts'] });

/** The layers of src/, lowest first; a file may import its own layer and the ones below. */
const LAYERS = ['src/protocol', 'src/core', 'src/i18n', 'src/elements'];
const layerOf = (file: string) => LAYERS.findIndex((layer) => file.startsWith(`${layer}/`));

describe('imports', () => {
  it('form no cycle in src/ and server/', async () => {
    const cycles = (await graph).circular();
    assert.deepEqual(
      cycles.map((c) => c.join(' → ')),
      [],
    );
  });

  it('point down elements → i18n → core → protocol, and the server takes only the protocol from src/', async () => {
    const upward: string[] = [];
    for (const [file, deps] of Object.entries((await graph).obj())) {
      for (const dep of deps) {
        const server = file.startsWith('server/') && dep.startsWith('src/') && !dep.startsWith('src/protocol/');
        const from = layerOf(file);
        const to = layerOf(dep);
        if (server || (from >= 0 && to > from)) upward.push(`${file} → ${dep}`);
      }
    }
    assert.deepEqual(upward, []);
  });
});
