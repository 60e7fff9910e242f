/**
 * The room's pump, the part of the event stream that writes each event to a
 * node's viewers: in rounds of slices, one write per viewer carrying every
 * event it has not had yet. Driven here by a bus of its own, with viewers
 * that record what they are written.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createRooms, SLICE, type Pass, type Viewer } from '../../server/routes/event-stream-route.js';
import type { BusEvent } from '../../server/services/event-bus.js';

function roomOf(viewers: number) {
  const listeners = new Set<(e: BusEvent) => void>();
  const bus = {
    subscribe: (_dropId: string, listener: (e: BusEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const rooms = createRooms(bus, 60_000);
  const writes: number[][][] = [];
  const leave: (() => void)[] = [];
  for (let v = 0; v < viewers; v++) {
    writes.push([]);
    const viewer: Viewer = { deliver: (pass: Pass) => writes[v].push(pass.events.map((e) => e.id)), beat: () => {} };
    leave.push(rooms.join('drop', viewer));
  }
  const publish = (id: number) => listeners.forEach((l) => l({ id, type: 'viewers', data: { count: id } }));
  return { writes, publish, close: () => leave.forEach((l) => l()) };
}

describe('event stream rooms', () => {
  it('writes an event that arrives during a round to the viewers the round has not reached yet in the same write, and to the others on the next round', async (t) => {
    const { writes, publish, close } = roomOf(3 * SLICE);
    t.after(close);
    publish(1); // the round starts at once and writes the first slice before it yields
    assert.deepEqual(writes[0], [[1]]);
    assert.deepEqual(writes[SLICE], [], 'the second slice waits for the next turn of the event loop');
    publish(2);
    for (let i = 0; i < 10; i++) await nextTurn();
    for (let v = 0; v < SLICE; v++) assert.deepEqual(writes[v], [[1], [2]], `viewer ${v}, reached before event 2`);
    for (let v = SLICE; v < 3 * SLICE; v++) assert.deepEqual(writes[v], [[1, 2]], `viewer ${v}, reached after event 2: one write`);
  });

  it('gives every viewer every event once and in order while events keep coming during the rounds', async (t) => {
    const { writes, publish, close } = roomOf(5 * SLICE + 7);
    t.after(close);
    for (let id = 1; id <= 40; id++) {
      publish(id);
      if (id % 3 === 0) await nextTurn();
    }
    for (let i = 0; i < 50; i++) await nextTurn();
    const all = Array.from({ length: 40 }, (_, i) => i + 1);
    writes.forEach((w, v) => assert.deepEqual(w.flat(), all, `viewer ${v}`));
    assert.ok(writes[5 * SLICE].length < 40, 'the later viewers got several events per write');
  });
});
