import { expect } from '@open-wc/testing';
import { MAX_MESSAGES, reduceChat, type ChatView } from '../../src/core/chat-store.js';
import type { ChatMessage } from '../../src/protocol/chat.js';

const message = (n: number): ChatMessage => ({ id: `m${n}`, author: { id: 's_x', name: 'Ada', mark: null }, text: `message ${n}`, at: n });
const empty: ChatView = { messages: [], settings: { enabled: true, slowModeSeconds: 0, pinned: null }, ready: true };

describe('reduceChat', () => {
  it('keeps the newest 200 messages however long the show runs', () => {
    let view = empty;
    for (let n = 1; n <= 1000; n += 50)
      view = reduceChat(
        view,
        Array.from({ length: 50 }, (_, i) => message(n + i)),
      ).view;
    expect(MAX_MESSAGES).to.equal(200);
    expect(view.messages.length).to.equal(200);
    expect(view.messages[0].id).to.equal('m801');
    expect(view.messages.at(-1)!.id).to.equal('m1000');
  });

  it('shows a message once however often it arrives (own post, then its event; a resume), and drops removed ones', () => {
    const first = reduceChat(empty, [message(1), message(2)]);
    const again = reduceChat(first.view, [message(2), message(3)], ['m1']);
    expect(again.view.messages.map((m) => m.id)).to.deep.equal(['m2', 'm3']);
    expect(again.added.map((m) => m.id)).to.deep.equal(['m3']);
  });
});
