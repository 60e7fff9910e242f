/**
 * `npm test`: type check, lint (ESLint) and format (Prettier) at once; build; the server tests (node:test)
 * with the package tests (npm pack, fresh install, framework type checks, generated docs) beside them; the
 * browser tests (Web Test Runner); the end-to-end tests. Stops after the group whose
 * step failed (a failed package step lets the others run) and exits non-zero, after printing again what
 * each failed step said of its failures. Ends with one plain line that sums every suite: `tests: N passed, N failed, N skipped`.
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
  /** When it fails, the later steps run all the same (npm test still fails). */
  keepGoing?: boolean;
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
// The steps of a group run at the same time. The checks only read the sources; the package step (installs,
// builds; nothing timed) fills the core the server tests leave idle while they wait on their servers. The
// end-to-end step beside them too saved only 47 s of 982 (the server step took 118 s longer): not worth timed
// suites sharing the cores. The first step of a group prints as it runs, the others when the group is done.
const groups: Step[][] = [
  [
    { name: 'typecheck', cmd: [node, 'node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'] },
    { name: 'lint', cmd: [node, 'node_modules/eslint/bin/eslint.js', '.'] },
    // `npm run format` fixes what this finds.
    { name: 'format', cmd: [node, 'node_modules/prettier/bin/prettier.cjs', '--check', '.'] },
  ],
  [{ name: 'build', cmd: ['npm', 'run', '--silent', 'build'] }],
  [
    { name: 'server', cmd: nodeTests('test/server'), count: nodeCounts },
    // Its failure stops nothing, so a README made stale by someone's uncommitted element docs does not
    // hide the other suites' results.
    { name: 'package', cmd: nodeTests('test/package'), count: nodeCounts, keepGoing: true },
  ],
  [
    {
      name: 'browser',
      cmd: [node, '--import', 'tsx', 'node_modules/@web/test-runner/dist/bin.js', '--config', 'web-test-runner.config.ts'],
      count: wtrCounts,
    },
  ],
  [{ name: 'e2e', cmd: nodeTests('test/e2e'), count: nodeCounts }],
];

function run(step: Step, live: boolean): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const header = `\n▶ ${step.name}: ${step.cmd.slice(1).join(' ')}\n`;
    if (live) process.stdout.write(header);
    const child = spawn(step.cmd[0], step.cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const tee = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      out += chunk.toString();
      if (live) stream.write(chunk);
    };
    child.stdout.on('data', tee(process.stdout));
    child.stderr.on('data', tee(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, out: live ? out : header + out }));
  });
}

const only = process.argv.slice(2);
const started = Date.now();
let [passed, failed, skipped] = [0, 0, 0];
let broken = '';
let stop = false;
/** What each failed step said of its failures, printed again at the very end, where a CI log's tail shows it. */
const recaps: string[] = [];
const recap = (name: string, out: string) => {
  // node:test's spec reporter ends with its failing tests and their errors; other runners get their last lines.
  const at = out.lastIndexOf('failing tests:');
  const text = at >= 0 ? out.slice(at) : out.split('\n').slice(-40).join('\n');
  const max = 8_000;
  return `\n✖ ${name}: ${text.length > max ? `…${text.slice(-max)}` : text.trimEnd()}`;
};
for (const group of groups) {
  const chosen = group.filter(
    (step) =>
      (!only.length || only.includes(step.name)) &&
      !((step.name === 'e2e' || step.name === 'package') && tsFiles(`test/${step.name}`).length === 0),
  );
  const results = await Promise.all(
    chosen.map(async (step, i) => {
      const t = Date.now();
      return { ...(await run(step, i === 0)), seconds: Math.round((Date.now() - t) / 1000) };
    }),
  );
  for (const [i, step] of chosen.entries()) {
    const { code, out, seconds } = results[i];
    if (i > 0) process.stdout.write(out); // the first printed as it ran
    console.log(`◀ ${step.name}: ${code === 0 ? 'passed' : 'FAILED'} in ${seconds} s`);
    if (step.count) {
      const [p, f, s] = step.count(out);
      passed += p;
      failed += f;
      skipped += s;
      if (code !== 0 && f === 0) failed++; // the runner failed outside any test
    }
    if (code !== 0) {
      broken ||= step.name;
      recaps.push(recap(step.name, out));
    }
    if (code !== 0 && !step.keepGoing) stop = true;
  }
  if (stop) break;
}
for (const text of recaps) console.log(text);
if (broken) console.log(`\n✖ step "${broken}" failed`);
console.log(`\nin ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(broken || failed ? 1 : 0);
