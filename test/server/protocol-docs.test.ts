import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** `METHOD /path` of every route documented in the header of src/protocol/routes.ts. */
function declaredRoutes(): [string, string][] {
  const header = read('src/protocol/routes.ts').split('*/')[0];
  return [...header.matchAll(/^\s*\*\s+(GET|POST|PUT|PATCH|DELETE)\s+(\/v1\/\S+)/gm)].map((m) => [m[1], m[2].replace(/:(\w+)/g, '{$1}')]);
}

describe('protocol documentation', () => {
  it('covers every route of src/protocol/routes.ts in docs/openapi.yaml, with its method', () => {
    const yaml = read('docs/openapi.yaml');
    assert.equal(declaredRoutes().length, 31, 'every route line of the header was read');
    for (const [method, path] of declaredRoutes()) {
      const block = yaml.split(`\n  ${path}:\n`)[1];
      assert.ok(block !== undefined, `${path} is in openapi.yaml`);
      const untilNext = block.split(/\n {2}\/v1\//)[0];
      assert.match(untilNext, new RegExp(`^    ${method.toLowerCase()}:`, 'm'), `${method} ${path} is in openapi.yaml`);
    }
  });

  it('covers every route in docs/protocol.md', () => {
    const md = read('docs/protocol.md');
    for (const [method, path] of declaredRoutes()) assert.ok(md.includes(`\`${method} ${path}\``), `${method} ${path} is in protocol.md`);
  });

  it('lists every problem code and event type in docs/protocol.md', () => {
    const md = read('docs/protocol.md');
    const types = read('src/protocol/types.ts');
    const codes = [
      ...types
        .split('export type ProblemCode =')[1]
        .split(';')[0]
        .matchAll(/'([a-z-]+)'/g),
    ].map((m) => m[1]);
    assert.ok(codes.length > 10);
    for (const code of codes) assert.ok(md.includes(`\`${code}\``), `problem code ${code}`);
    for (const event of ['snapshot', 'stock', 'featured', 'status', 'viewers', 'reactions', 'chat', 'line'])
      assert.ok(md.includes(`#### ${event}`), `event ${event}`);
  });

  it("passes Redocly's recommended lint with no errors (the server tests check real answers against it: support/openapi.ts)", async () => {
    const cli = fileURLToPath(new URL('../../node_modules/@redocly/cli/bin/cli.js', import.meta.url));
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
    const result = await promisify(execFile)(process.execPath, [cli, 'lint', 'docs/openapi.yaml', '--format=stylish'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env,
    }).catch((error: { stdout: string; stderr: string }) => assert.fail(`redocly lint failed:\n${error.stdout}${error.stderr}`));
    assert.match(result.stdout + result.stderr, /valid/);
  });
});
