import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signIdentity } from '../../server/services/chat-identity.js';
import { loopbackAddress } from '../support/loopback.js';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { apiFor, eventually, type Api } from './support/api-client.js';
import { openEvents, type EventClient, type SseEvent } from './support/event-client.js';

const SECRET = 'test-chat-identity-secret-0123456789abcdef';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('live chat', () => {
  let server: RunningServer;
  let api: Api;
  const clients: EventClient[] = [];
  let shoppers = 0;
  before(async () => {
    // The default chat rate (one message per shopper per 2 s) stays on.
    server = await startReferenceServer({ args: ['--chat-identity-secret', SECRET] });
    api = apiFor(server);
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await server.stop();
  });

  const events = async (dropId: string, lastEventId?: string) => {
    const c = await openEvents(`${server.url}/v1/drops/${dropId}/events`, { lastEventId });
    clients.push(c);
    return c;
  };
  /** A new shopper, from an address of their own. */
  const shopper = async () => {
    const from = loopbackAddress(shoppers++);
    const token = await api.newShopper(from);
    return {
      token,
      post: (text: unknown, name: unknown = 'Ada', dropId = '') =>
        api.call('POST', `/v1/drops/${dropId}/chat`, { token, from, body: { text, name } }),
    };
  };
  const post = async (dropId: string, text: unknown, name: unknown = 'Ada') => {
    const s = await shopper();
    return s.post(text, name, dropId);
  };
  const chatMessages = (stream: EventClient) =>
    stream.events.filter((e) => e.type === 'chat').flatMap((e) => e.data.messages as { id: string; text: string }[]);

  it('delivers a shopper’s message to viewers in a chat event, as the text they sent, trimmed', async () => {
    const dropId = await api.createDrop();
    const viewer = await events(dropId);
    const snapshot = await viewer.next('snapshot');
    assert.deepEqual(snapshot.data.chat, { messages: [], settings: { enabled: true, slowModeSeconds: 0, pinned: null } });
    const res = await post(dropId, '  <img src=x onerror=alert(1)> does it run small?  ', ' <b>Ada</b> ');
    assert.equal(res.status, 201);
    assert.equal(res.body.text, '<img src=x onerror=alert(1)> does it run small?');
    assert.equal(res.body.author.name, '<b>Ada</b>');
    assert.equal(res.body.author.mark, null);
    assert.match(res.body.author.id, /^s_[A-Za-z0-9_-]{22}$/);
    const event = await viewer.next('chat');
    assert.deepEqual(event.data, { messages: [res.body], removed: [] });
    assert.ok(Number(event.id) > Number(snapshot.id));
    // The same state on its own, for a page whose stream was open before its chat appeared.
    const current = await api.call('GET', `/v1/drops/${dropId}/chat`);
    assert.deepEqual(current.body, { messages: [res.body], settings: { enabled: true, slowModeSeconds: 0, pinned: null } });
    assert.equal((await api.call('GET', '/v1/drops/no-such-drop/chat')).status, 404);
  });

  it('batches a burst: forty messages from forty shoppers arrive in a few events, each message once, in posting order', async () => {
    const dropId = await api.createDrop();
    const viewer = await events(dropId);
    await viewer.next('snapshot');
    const posters = await Promise.all(Array.from({ length: 40 }, () => shopper()));
    const burst = Promise.all(posters.map((s, i) => s.post(`question ${i}`, `Viewer ${i}`, dropId)));
    // A viewer arriving in the middle of the burst: what its snapshot holds and what follows it add up to every message, once.
    await sleep(20);
    const late = await events(dropId);
    const answers = await burst;
    assert.ok(answers.every((a) => a.status === 201));
    const lateSnapshot = await late.next('snapshot');
    const lateIds = () => [...lateSnapshot.data.chat.messages, ...chatMessages(late)].map((m: { id: string }) => m.id);
    await eventually(() => lateIds().length >= 40, { what: 'the late viewer to have every message' });
    await sleep(200);
    assert.deepEqual([...lateIds()].sort(), answers.map((a) => a.body.id).sort());
    await viewer.next('chat', () => chatMessages(viewer).length >= 40);
    const got = chatMessages(viewer).map((m) => m.id);
    assert.deepEqual(
      got,
      [...got].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))),
      'in posting order',
    );
    assert.deepEqual(new Set(got), new Set(answers.map((a) => a.body.id)), 'every message, once');
    assert.equal(got.length, 40);
    const chatEvents = viewer.events.filter((e) => e.type === 'chat').length;
    // Without batching each message would be an event of its own; how many share one depends on how fast a busy machine lets 40 posts in.
    assert.ok(chatEvents <= 20, `40 messages in ${chatEvents} events`);
  });

  it('gives a fresh connection the last 50 messages, and a resume exactly the missed ones, without a snapshot', async () => {
    const dropId = await api.createDrop();
    const posters = await Promise.all(Array.from({ length: 55 }, () => shopper()));
    const ids: string[] = [];
    const watcher = await events(dropId);
    for (const [i, s] of posters.entries()) {
      const res = await s.post(`message ${i}`, 'Bo', dropId);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      ids.push(res.body.id);
    }
    await watcher.next('chat', (e) => e.data.messages.some((m: { id: string }) => m.id === ids.at(-1)));
    const first = await events(dropId);
    const snapshot = await first.next('snapshot');
    assert.deepEqual(
      snapshot.data.chat.messages.map((m: { id: string }) => m.id),
      ids.slice(5),
    );
    await sleep(300);
    assert.ok(!first.events.some((e) => e.type === 'chat'), 'nothing in the snapshot comes again');
    first.close();
    const more = [];
    for (let i = 0; i < 3; i++) {
      const res = await post(dropId, `after the cut ${i}`);
      assert.equal(res.status, 201);
      more.push(res.body.id);
    }
    const resumed = await events(dropId, snapshot.id);
    await resumed.next('chat', () => chatMessages(resumed).length >= 3);
    await sleep(300);
    assert.ok(!resumed.events.some((e) => e.type === 'snapshot'));
    assert.deepEqual(
      chatMessages(resumed).map((m) => m.id),
      more,
    );
  });

  it('refuses empty, over-long, control characters, bidi overrides and malformed Unicode with clear 422 problems', async () => {
    const dropId = await api.createDrop();
    const s = await shopper();
    for (const [text, name] of [
      ['   ', 'Ada'],
      ['x'.repeat(301), 'Ada'],
      ['bell\u0007', 'Ada'],
      ['line\nbreak', 'Ada'],
      ['\u202egnp.exe', 'Ada'],
      ['fine', ''],
      ['fine', 'n'.repeat(41)],
      [42, 'Ada'],
    ] as const) {
      const res = await s.post(text, name, dropId);
      assert.equal(res.status, 422, JSON.stringify(text));
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal(res.body.code, 'validation-failed');
      assert.match(res.body.errors[0].field, /^body\.(text|name)$/);
    }
    const lone = await api.call('POST', `/v1/drops/${dropId}/chat`, { token: s.token, raw: '{"text":"\\ud800","name":"Ada"}' });
    assert.equal(lone.status, 422);
    // 300 characters of four UTF-16 code units each are 300 characters.
    assert.equal((await s.post('👍🏽'.repeat(150), 'Ada', dropId)).status, 201);
  });

  it('limits a shopper to one message per 2 s with 429 and Retry-After, while other shoppers go on', async () => {
    const dropId = await api.createDrop();
    const s = await shopper();
    assert.equal((await s.post('one', 'Ada', dropId)).status, 201);
    const refused = await s.post('two', 'Ada', dropId);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.code, 'too-many-requests');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.equal((await post(dropId, 'two')).status, 201);
  });

  it('refuses the same message from the same shopper within 30 s, however it is spelled', async () => {
    const dropId = await api.createDrop();
    const s = await shopper();
    assert.equal((await s.post('Does it run small?', 'Ada', dropId)).status, 201);
    await sleep(2100);
    const again = await s.post('does  it run SMALL?', 'Ada', dropId);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'duplicate-message');
    assert.equal((await post(dropId, 'Does it run small?')).status, 201, 'another shopper may ask the same');
  });

  it('marks the site’s verified users and the host, and refuses identity tokens it did not sign', async () => {
    const dropId = await api.createDrop();
    const identity = signIdentity(SECRET, { sub: 'user-42', name: 'Ada L.', exp: Date.now() + 60_000 });
    const verified = await api.call('POST', `/v1/drops/${dropId}/chat`, { body: { text: 'hi', identity } });
    assert.equal(verified.status, 201);
    assert.deepEqual(verified.body.author.mark, 'verified');
    assert.equal(verified.body.author.name, 'Ada L.');
    for (const bad of [
      signIdentity('another-secret-of-sufficient-length-0123', { sub: 'user-42', name: 'Ada', exp: Date.now() + 60_000 }),
      signIdentity(SECRET, { sub: 'user-42', name: 'Ada', exp: Date.now() - 1 }),
      'not-a-token',
    ]) {
      const res = await api.call('POST', `/v1/drops/${dropId}/chat`, { body: { text: 'hi again', identity: bad } });
      assert.equal(res.status, 401, bad);
      assert.equal(res.body.code, 'unauthorized');
    }
    const host = await api.call('POST', `/v1/drops/${dropId}/chat`, { token: server.hostToken, body: { text: 'Welcome!' } });
    assert.deepEqual(host.body.author, { id: 'host', name: 'Host', mark: 'host' });
    assert.equal(
      (await api.call('POST', `/v1/drops/${dropId}/chat`, { token: server.hostToken, body: { text: 'No limit for me' } })).status,
      201,
    );
    assert.equal((await api.call('POST', `/v1/drops/${dropId}/chat`, { body: { text: 'anonymous', name: 'X' } })).status, 401);
    assert.equal((await post('no-such-drop', 'hello')).status, 404);
  });

  it('lets the host remove a message: viewers get its removal, and new viewers never see it', async () => {
    const dropId = await api.createDrop();
    const viewer = await events(dropId);
    await viewer.next('snapshot');
    const m = (await post(dropId, 'spam spam')).body;
    await viewer.next('chat', (e) => e.data.messages.length > 0);
    assert.equal((await api.host('DELETE', `/v1/host/drops/${dropId}/chat/messages/${m.id}`)).status, 204);
    const removal = await viewer.next('chat', (e) => e.data.removed.length > 0);
    assert.deepEqual(removal.data, { messages: [], removed: [m.id] });
    assert.equal((await api.host('DELETE', `/v1/host/drops/${dropId}/chat/messages/m999999999`)).status, 404);
    assert.equal((await api.call('DELETE', `/v1/host/drops/${dropId}/chat/messages/${m.id}`)).status, 401);
    const late = await events(dropId);
    assert.deepEqual((await late.next('snapshot')).data.chat.messages, []);
  });

  it('mutes a shopper: their posts are answered as usual but never reach the others', async () => {
    const dropId = await api.createDrop();
    const viewer = await events(dropId);
    await viewer.next('snapshot');
    const troll = await shopper();
    const first = (await troll.post('first', 'Troll', dropId)).body;
    await viewer.next('chat', () => chatMessages(viewer).length === 1);
    assert.equal((await api.host('PUT', `/v1/host/drops/${dropId}/chat/mutes/${first.author.id}`)).status, 204);
    assert.deepEqual((await api.host('GET', `/v1/host/drops/${dropId}/chat`)).body.muted, [first.author.id]);
    await sleep(2100);
    const muted = await troll.post('you cannot stop me', 'Troll', dropId);
    assert.equal(muted.status, 201, 'a muted shopper sees nothing strange');
    await post(dropId, 'a real question');
    await viewer.next('chat', (e) => e.data.messages.some((m: { text: string }) => m.text === 'a real question'));
    assert.ok(!chatMessages(viewer).some((m) => m.text === 'you cannot stop me'));
    assert.ok(
      !(await (await events(dropId)).next('snapshot')).data.chat.messages.some((m: { text: string }) => m.text === 'you cannot stop me'),
    );
    assert.equal((await api.host('DELETE', `/v1/host/drops/${dropId}/chat/mutes/${first.author.id}`)).status, 204);
    await sleep(2100);
    assert.equal((await troll.post('sorry', 'Troll', dropId)).status, 201);
    await viewer.next('chat', (e) => e.data.messages.some((m: { text: string }) => m.text === 'sorry'));
  });

  it('refuses blocked terms whatever their case and accents, as whole words only', async () => {
    const dropId = await api.createDrop();
    const set = await api.host('PATCH', `/v1/host/drops/${dropId}/chat`, { blockedTerms: ['knockoff', 'Café Noir'] });
    assert.equal(set.status, 200);
    assert.deepEqual(set.body.blockedTerms, ['knockoff', 'Café Noir']);
    for (const text of ['total KNOCKOFF!', 'try cafe noir', 'CAFÉ  NÖIR here', 'ｋｎｏｃｋｏｆｆ']) {
      const res = await post(dropId, text);
      assert.equal(res.status, 422, text);
      assert.equal(res.body.code, 'message-blocked');
    }
    assert.equal((await post(dropId, 'knockoffs are a problem')).status, 201, 'another word');
    assert.equal(
      (await api.call('POST', `/v1/drops/${dropId}/chat`, { token: server.hostToken, body: { text: 'no knockoff here' } })).status,
      201,
      'the host is not filtered',
    );
  });

  it('applies slow mode, chat off and a pinned message, and tells every viewer', async () => {
    const dropId = await api.createDrop();
    const viewer = await events(dropId);
    await viewer.next('snapshot');
    const settings = (e: SseEvent) => e.data.settings;
    await api.host('PATCH', `/v1/host/drops/${dropId}/chat`, { slowModeSeconds: 10 });
    assert.deepEqual(settings(await viewer.next('chat', (e) => settings(e)?.slowModeSeconds === 10)), {
      enabled: true,
      slowModeSeconds: 10,
      pinned: null,
    });
    const s = await shopper();
    const m = (await s.post('first', 'Ada', dropId)).body;
    await sleep(2100);
    const slow = await s.post('second', 'Ada', dropId);
    assert.equal(slow.status, 429);
    assert.equal(slow.body.code, 'slow-mode');
    const wait = Number(slow.headers.get('retry-after'));
    assert.ok(wait >= 6 && wait <= 8, `Retry-After ${wait}`);

    const pinned = await api.host('PATCH', `/v1/host/drops/${dropId}/chat`, { pinnedMessageId: m.id });
    assert.deepEqual(pinned.body.pinned, m);
    assert.deepEqual(settings(await viewer.next('chat', (e) => settings(e)?.pinned?.id === m.id)).pinned, m);
    assert.deepEqual((await (await events(dropId)).next('snapshot')).data.chat.settings.pinned, m);
    assert.equal((await api.host('PATCH', `/v1/host/drops/${dropId}/chat`, { pinnedMessageId: 'm999999999' })).status, 404);

    await api.host('PATCH', `/v1/host/drops/${dropId}/chat`, { enabled: false });
    await viewer.next('chat', (e) => settings(e)?.enabled === false);
    const off = await post(dropId, 'hello?');
    assert.equal(off.status, 409);
    assert.equal(off.body.code, 'chat-off');
    assert.equal(
      (await api.call('POST', `/v1/drops/${dropId}/chat`, { token: server.hostToken, body: { text: 'back soon' } })).status,
      201,
    );

    // Removing the pinned message unpins it, in the same event.
    await api.host('DELETE', `/v1/host/drops/${dropId}/chat/messages/${m.id}`);
    const removal = await viewer.next('chat', (e) => e.data.removed.includes(m.id));
    assert.equal(settings(removal).pinned, null);
    assert.equal((await api.host('PATCH', `/v1/host/drops/${dropId}/chat`, { slowModeSeconds: 3601 })).status, 422);
    assert.equal((await api.host('PATCH', `/v1/host/drops/${dropId}/chat`, { enabled: 'yes' })).status, 422);
  });
});
