import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { apiFor } from './support/api-client.js';
import { rush } from './support/rush.js';

describe('rush on PGlite', () => {
  let server: RunningServer;
  before(async () => {
    server = await startReferenceServer();
  });
  after(() => server.stop());

  it('never oversells: 400 shoppers at once for 16 units, reserved + remaining = initial stock, nothing negative', async () => {
    const result = await rush([apiFor(server)], { shoppers: 400 });
    assert.ok(result.accepted > 0);
    console.log(`# rush on PGlite: ${result.answers} reservations in ${result.elapsedMs} ms, ${result.accepted} accepted`);
  });
});
