/**
 * `npm run bench`: every benchmark in turn (or those named: `npm run bench -- rush fanout`).
 * Each prints its own table; this exits non-zero only if one could not run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const ALL = ['bundle', 'rush', 'ops-overhead', 'fanout', 'chat', 'recovery', 'first-frame', 'latency', 'countdown', 'history', 'line'];
const names = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
const failed: string[] = [];
for (const name of names) {
  const file = resolve(import.meta.dirname, `${name}.ts`);
  if (!existsSync(file)) {
    console.error(`bench: no benchmark named "${name}" (have: ${ALL.join(', ')})`);
    failed.push(name);
    continue;
  }
  console.log(`\n=== bench ${name} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  if (r.status !== 0) failed.push(name);
}
if (failed.length) {
  console.error(`\nbench: could not run ${failed.join(', ')}`);
  process.exit(1);
}
