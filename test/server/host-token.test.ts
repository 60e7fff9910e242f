/**
 * The host token is the one secret of the reference server: it is never
 * printed, and checking a guess takes as long whatever the guess's length,
 * so timing tells nothing about the token's length.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeConfig, loadConfig, type ServerConfig } from '../../server/config.js';
import { sameSecret } from '../../server/routes/auth.js';

describe('the host token', () => {
  it('is not printed at start-up, not even its first characters, when configured', () => {
    const token = 'Zq7-secret-host-token-9x';
    const printed = describeConfig(loadConfig(['--host-token', token], {}) as ServerConfig);
    assert.match(printed, /host token +\(configured\)/);
    for (let n = 3; n <= token.length; n++) assert.ok(!printed.includes(token.slice(0, n)), `prints "${token.slice(0, n)}"`);
  });

  it('is compared in the same time whether a wrong guess has its length or not', () => {
    const secret = 'k'.repeat(512);
    const sameLength = 'x'.repeat(512);
    const otherLength = 'x'.repeat(511);
    assert.equal(sameSecret(sameLength, secret), false);
    assert.equal(sameSecret(otherLength, secret), false);
    assert.equal(sameSecret(secret, secret), true);
    // Fastest of many short interleaved rounds: the least disturbed by a busy machine (short, so
    // that some rounds of each kind fall between the other processes' time slices).
    const best = { same: Infinity, other: Infinity };
    for (let round = 0; round < 300; round++) {
      for (const [key, guess] of [
        ['same', sameLength],
        ['other', otherLength],
      ] as const) {
        const start = process.hrtime.bigint();
        for (let i = 0; i < 1_000; i++) sameSecret(guess, secret);
        best[key] = Math.min(best[key], Number(process.hrtime.bigint() - start));
      }
    }
    const ratio = best.same / best.other;
    console.log(`# host token check: a same-length guess takes ${ratio.toFixed(2)}× the time of an other-length one`);
    // Comparing raw bytes only when the lengths match made the same-length guess about 2× slower.
    // The leak this catches (raw bytes compared when the lengths match) measures 1.96 here.
    assert.ok(ratio < 1.4 && ratio > 0.6, `ratio ${ratio.toFixed(2)}`);
  });
});
