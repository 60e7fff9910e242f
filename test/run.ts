/**
 * `npm test`: type check, lint (ESLint), format (Prettier), build, server tests (node:test), browser tests
 * (Web Test Runner), the end-to-end tests, and the package tests (npm pack,
 * fresh install, framework type checks, generated docs), in that order; stops at the first
 * step that fails and exits non-zero. Ends with one plain line that sums every
 * suite: `tests: N passed, N failed, N skipped`.
 *
 *   npm test                 everything
 *   npm test -- server       only the steps named (typecheck, lint, format, build, server, browser, e2e, package)
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

interface Step {
  name: string;
  cmd: string[];
  /** Reads passed/failed/skipped counts from the step's output. */
  count?: (out: string) => [number, number, number];
}

const last = (out: string, re: RegExp) => {
  const all = [...out.matchAll(re)];
  return all.length ? Number(all[all.length - 1][1]) : 0;
};
const nodeCounts = (out: string): [number, number, number] => [
  last(out, /^[#ℹ] pass (\d+)/gm),
  last(out, /^[#ℹ] fail (\d+)/gm) + last(out, /^[#ℹ] cancelled (\d+)/gm),
  last(out, /^[#ℹ] skipped (\d+)/gm),
];
const wtrCounts = (out: string): [number, number, number] => {
  const m = [...out.matchAll(/^browser: (\d+) passed, (\d+) failed, (\d+) skipped$/gm)].pop();
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
};
const tsFiles = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.test.ts'))
        .map((f) => `${dir}/${f}`)
        .sort()
    : [];

const node = process.execPath;
// One file at a time: the suites time bursts and crashes, and two files at once on two cores made them flaky.
const nodeTests = (dir: string) => [node, '--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...tsFiles(dir)];
const steps: Step[] = [
  { name: 'typecheck', cmd: [node, 'node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'] },
  { name: 'lint', cmd: [node, 'node_modules/eslint/bin/eslint.js', '.'] },
  // `npm run format` fixes what this finds.
  { name: 'format', cmd: [node, 'node_modules/prettier/bin/prettier.cjs', '--check', '.'] },
  { name: 'build', cmd: ['npm', 'run', '--silent', 'build'] },
  {
    name: 'server',
    cmd: nodeTests('test/server'),
    count: nodeCounts,
  },
  {
    name: 'browser',
    cmd: [node, '--import', 'tsx', 'node_modules/@web/test-runner/dist/bin.js', '--config', 'web-test-runner.config.ts'],
    count: wtrCounts,
  },
  {
    name: 'e2e',
    cmd: nodeTests('test/e2e'),
    count: nodeCounts,
  },
  // Last, so a README made stale by someone's uncommitted element docs does not stop the other suites.
  {
    name: 'package',
    cmd: nodeTests('test/package'),
    count: nodeCounts,
  },
];

function run(step: Step): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    console.log(`\n▶ ${step.name}: ${step.cmd.slice(1).join(' ')}`);
    const child = spawn(step.cmd[0], step.cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const tee = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      out += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on('data', tee(process.stdout));
    child.stderr.on('data', tee(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const only = process.argv.slice(2);
let [passed, failed, skipped] = [0, 0, 0];
let broken = '';
for (const step of steps) {
  if (only.length && !only.includes(step.name)) continue;
  if ((step.name === 'e2e' || step.name === 'package') && tsFiles(`test/${step.name}`).length === 0) continue;
  const { code, out } = await run(step);
  if (step.count) {
    const [p, f, s] = step.count(out);
    passed += p;
    failed += f;
    skipped += s;
    if (code !== 0 && f === 0) failed++; // the runner failed outside any test
  }
  if (code !== 0) {
    broken = step.name;
    break;
  }
}
if (broken) console.log(`\n✖ step "${broken}" failed`);
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(broken || failed ? 1 : 0);
