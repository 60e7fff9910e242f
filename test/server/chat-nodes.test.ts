import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loopbackAddress } from '../support/loopback.js';
import { eventually, type Api } from './support/api-client.js';
import type { EventClient } from './support/event-client.js';
import { skipWithoutPostgres } from './support/postgres.js';
import { twoPostgresNodes } from './support/two-nodes.js';

describe('live chat on two server nodes sharing one PostgreSQL', { skip: skipWithoutPostgres }, () => {
  const cluster = twoPostgresNodes('chat_nodes');
  const { events } = cluster;
  let shoppers = 0;
  const post = async (api: Api, dropId: string, text: string) => {
    const from = loopbackAddress(shoppers++);
    const token = await api.newShopper(from);
    const res = await api.call('POST', `/v1/drops/${dropId}/chat`, { token, from, body: { text, name: `Viewer ${shoppers}` } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string };
  };
  const messageIds = (c: EventClient) =>
    c.events.filter((e) => e.type === 'chat').flatMap((e) => e.data.messages.map((m: { id: string }) => m.id));

  it('delivers messages posted on both nodes to viewers of both, each once, in the same events with the same ids', async () => {
    const dropId = await cluster.a.createDrop();
    const onA = await events(cluster.a, dropId);
    const onB = await events(cluster.b, dropId);
    await onA.next('snapshot');
    await onB.next('snapshot');
    const posted = await Promise.all(
      Array.from({ length: 30 }, (_, i) => post(i % 2 ? cluster.a : cluster.b, dropId, `from ${i % 2 ? 'A' : 'B'} ${i}`)),
    );
    const all = posted.map((m) => m.id).sort();
    await eventually(() => messageIds(onA).length >= 30 && messageIds(onB).length >= 30, { what: 'every message on both nodes' });
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual([...messageIds(onA)].sort(), all);
    assert.deepEqual(messageIds(onA), messageIds(onB), 'the same order on both nodes');
    const chatEvents = (c: EventClient) => c.events.filter((e) => e.type === 'chat').map((e) => e.id);
    assert.deepEqual(chatEvents(onA), chatEvents(onB), 'the same events, by id');
  });

  it('resumes on node B from an event seen on node A without a gap or a double, and removes a message everywhere', async () => {
    const dropId = await cluster.a.createDrop();
    const onA = await events(cluster.a, dropId);
    await onA.next('snapshot');
    const first = await post(cluster.a, dropId, 'before the cut');
    const seen = await onA.next('chat', (e) => e.data.messages.some((m: { id: string }) => m.id === first.id));
    onA.close();
    const missed = [await post(cluster.a, dropId, 'missed on A'), await post(cluster.b, dropId, 'missed on B')].map((m) => m.id);
    const resumed = await events(cluster.b, dropId, seen.id);
    await eventually(() => messageIds(resumed).length >= 2, { what: 'the missed messages' });
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!resumed.events.some((e) => e.type === 'snapshot'));
    assert.deepEqual([...messageIds(resumed)].sort(), [...missed].sort());

    const fresh = await events(cluster.a, dropId);
    await fresh.next('snapshot');
    assert.equal((await cluster.b.host('DELETE', `/v1/host/drops/${dropId}/chat/messages/${first.id}`)).status, 204);
    await fresh.next('chat', (e) => e.data.removed.includes(first.id));
    await resumed.next('chat', (e) => e.data.removed.includes(first.id));
  });

  it('holds the slow mode set on node B for a shopper posting on node A, then on B', async () => {
    const dropId = await cluster.a.createDrop();
    const from = loopbackAddress(shoppers++);
    const token = await cluster.a.newShopper(from);
    const say = (api: Api, text: string) => api.call('POST', `/v1/drops/${dropId}/chat`, { token, from, body: { text, name: 'Slow' } });
    await cluster.b.host('PATCH', `/v1/host/drops/${dropId}/chat`, { slowModeSeconds: 30 });
    assert.equal((await say(cluster.a, 'one')).status, 201);
    const refused = await say(cluster.b, 'two');
    assert.equal(refused.status, 429);
    assert.equal(refused.body.code, 'slow-mode');
  });
});
