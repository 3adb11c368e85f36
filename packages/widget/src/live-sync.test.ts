import type { ArticleEvent, JoinAck } from '@parley/contracts';
import { LiveSync } from './live-sync';
import { aComment, aPage } from './test-support';
import { ThreadStore } from './thread-store';

const event = (seq: number): ArticleEvent => ({
  type: 'comment:created',
  site: 'demo',
  article: 'a1',
  seq,
  comment: aComment({ author: { id: `u${seq}`, name: 'X' } }),
});

function setup(seq: number) {
  const store = new ThreadStore();
  store.reset(aPage([], { seq }), 'newest');
  const joins: number[] = [];
  let answer: (sinceSeq: number) => JoinAck = (sinceSeq) => ({ ok: true, seq: sinceSeq, events: [], resync: false });
  const reload = jest.fn(async () => store.reset(aPage([], { seq: 50 }), 'newest'));
  const sync = new LiveSync({
    store,
    join: async (sinceSeq) => {
      joins.push(sinceSeq);
      return answer(sinceSeq);
    },
    reload,
  });
  return { store, sync, joins, reload, answerWith: (fn: typeof answer) => (answer = fn) };
}

describe('live sync', () => {
  it('joins from the seq of the loaded page and applies what was missed, once', async () => {
    const { store, sync, joins, answerWith } = setup(5);
    answerWith(() => ({ ok: true, seq: 7, events: [event(6), event(7)], resync: false }));
    await sync.join();
    expect(joins).toEqual([5]);
    expect(store.lastSeq).toBe(7);
    // A push repeating an event of the ack is a duplicate.
    sync.push(event(7));
    expect(store.pendingNew).toHaveLength(2);
  });

  it('rejoins from the last applied seq on a gap, and loses nothing', async () => {
    const { store, sync, joins, answerWith } = setup(5);
    await sync.join();
    sync.push(event(6));
    answerWith(() => ({ ok: true, seq: 8, events: [event(7), event(8)], resync: false }));
    sync.push(event(8)); // 7 was lost in transit
    await sync.idle();
    expect(joins).toEqual([5, 6]);
    expect(store.lastSeq).toBe(8);
    expect(store.pendingNew).toHaveLength(3);
  });

  it('queues pushes that arrive while a join is in flight', async () => {
    const { store, sync } = setup(5);
    const joining = sync.join();
    sync.push(event(6));
    await joining;
    expect(store.lastSeq).toBe(6);
  });

  it('reloads the thread when told to resync', async () => {
    const { store, sync, reload, answerWith } = setup(5);
    answerWith(() => ({ ok: true, seq: 50, events: [], resync: true }));
    await sync.join();
    expect(reload).toHaveBeenCalledTimes(1);
    expect(store.lastSeq).toBe(50);
  });

  it('reloads when the ack is ahead of every event it carried', async () => {
    const { sync, reload, answerWith } = setup(5);
    answerWith(() => ({ ok: true, seq: 9, events: [event(6)], resync: false }));
    await sync.join();
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('reloads the thread once when an import rewrote it (a pushed resync event)', async () => {
    const { sync, reload } = setup(5);
    await sync.join();
    sync.push({ type: 'article:updated', site: 'demo', article: 'a1', seq: 6, state: 'open', commentCount: 40, resync: true });
    await new Promise((resolve) => setImmediate(resolve));
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('reloads when the resync event comes in a join ack', async () => {
    const { sync, reload, answerWith } = setup(5);
    answerWith(() => ({ ok: true, seq: 6, events: [{ type: 'article:updated', site: 'demo', article: 'a1', seq: 6, state: 'open', commentCount: 40, resync: true }], resync: false }));
    await sync.join();
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('rejoins from the last seq after a reconnect', async () => {
    const { sync, joins } = setup(5);
    await sync.join();
    sync.push(event(6));
    await sync.join(); // socket.io "connect" after a disconnect
    expect(joins).toEqual([5, 6]);
  });

  it('catches up when a quiet room\'s heartbeat announces a seq it has not applied, and not otherwise', async () => {
    const { store, sync, joins, answerWith } = setup(5);
    await sync.join();
    sync.push(event(6));
    // The heartbeat of a room that is where this reader is: nothing to do.
    sync.heartbeat(6);
    await sync.idle();
    expect(joins).toEqual([5]);
    // Event 7 was pushed by no one (its node died after the commit); the heartbeat reveals it.
    answerWith(() => ({ ok: true, seq: 7, events: [event(7)], resync: false }));
    sync.heartbeat(7);
    await sync.idle();
    expect(joins).toEqual([5, 6]);
    expect(store.lastSeq).toBe(7);
    expect(store.pendingNew).toHaveLength(2);
  });
});
