import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';

describe('reference server', () => {
  let server: RunningServer;
  before(async () => {
    server = await startReferenceServer();
  });
  after(() => server.stop());

  it('answers the time', async () => {
    const res = await fetch(`${server.url}/v1/time`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { now: number };
    assert.ok(Math.abs(body.now - Date.now()) < 5000);
  });
});
