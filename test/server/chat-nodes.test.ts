import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loopbackAddress } from '../support/loopback.js';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { apiFor, eventually, type Api } from './support/api-client.js';
import { openEvents, type EventClient } from './support/event-client.js';
import { freshDatabase, postgresUrl, skipWithoutPostgres } from './support/postgres.js';

describe('live chat on two server nodes sharing one PostgreSQL', { skip: skipWithoutPostgres }, () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let nodeA: RunningServer;
  let nodeB: RunningServer;
  let a: Api;
  let b: Api;
  const clients: EventClient[] = [];
  let shoppers = 0;
  before(async () => {
    if (!postgresUrl) return;
    database = await freshDatabase('chat_nodes');
    nodeA = await startReferenceServer({ databaseUrl: database.url });
    nodeB = await startReferenceServer({ databaseUrl: database.url });
    a = apiFor(nodeA);
    b = apiFor(nodeB);
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await nodeA?.stop();
    await nodeB?.stop();
    await database?.drop();
  });
  const events = async (node: RunningServer, dropId: string, lastEventId?: string) => {
    const c = await openEvents(`${node.url}/v1/drops/${dropId}/events`, { lastEventId });
    clients.push(c);
    return c;
  };
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
    const dropId = await a.createDrop();
    const onA = await events(nodeA, dropId);
    const onB = await events(nodeB, dropId);
    await onA.next('snapshot');
    await onB.next('snapshot');
    const posted = await Promise.all(Array.from({ length: 30 }, (_, i) => post(i % 2 ? a : b, dropId, `from ${i % 2 ? 'A' : 'B'} ${i}`)));
    const all = posted.map((m) => m.id).sort();
    await eventually(() => messageIds(onA).length >= 30 && messageIds(onB).length >= 30, { what: 'every message on both nodes' });
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual([...messageIds(onA)].sort(), all);
    assert.deepEqual(messageIds(onA), messageIds(onB), 'the same order on both nodes');
    const chatEvents = (c: EventClient) => c.events.filter((e) => e.type === 'chat').map((e) => e.id);
    assert.deepEqual(chatEvents(onA), chatEvents(onB), 'the same events, by id');
  });

  it('resumes on node B from an event seen on node A without a gap or a double, and removes a message everywhere', async () => {
    const dropId = await a.createDrop();
    const onA = await events(nodeA, dropId);
    await onA.next('snapshot');
    const first = await post(a, dropId, 'before the cut');
    const seen = await onA.next('chat', (e) => e.data.messages.some((m: { id: string }) => m.id === first.id));
    onA.close();
    const missed = [await post(a, dropId, 'missed on A'), await post(b, dropId, 'missed on B')].map((m) => m.id);
    const resumed = await events(nodeB, dropId, seen.id);
    await eventually(() => messageIds(resumed).length >= 2, { what: 'the missed messages' });
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!resumed.events.some((e) => e.type === 'snapshot'));
    assert.deepEqual([...messageIds(resumed)].sort(), [...missed].sort());

    const fresh = await events(nodeA, dropId);
    await fresh.next('snapshot');
    assert.equal((await b.host('DELETE', `/v1/host/drops/${dropId}/chat/messages/${first.id}`)).status, 204);
    await fresh.next('chat', (e) => e.data.removed.includes(first.id));
    await resumed.next('chat', (e) => e.data.removed.includes(first.id));
  });

  it('holds the slow mode set on node B for a shopper posting on node A, then on B', async () => {
    const dropId = await a.createDrop();
    const from = loopbackAddress(shoppers++);
    const token = await a.newShopper(from);
    const say = (api: Api, text: string) => api.call('POST', `/v1/drops/${dropId}/chat`, { token, from, body: { text, name: 'Slow' } });
    await b.host('PATCH', `/v1/host/drops/${dropId}/chat`, { slowModeSeconds: 30 });
    assert.equal((await say(a, 'one')).status, 201);
    const refused = await say(b, 'two');
    assert.equal(refused.status, 429);
    assert.equal(refused.body.code, 'slow-mode');
  });
});
