import request from 'supertest';
import { hasRedisServer, startRedisServer, type RedisServer } from '../../../../tests/support/redis-server';
import {
  connectSocket,
  connected,
  joinArticle,
  newArticleKey,
  newSite,
  newUser,
  postComment,
  recordEvents,
  startLiveNode,
  startTestApp,
  waitFor,
  type LiveNode,
  type TestApp,
  type TestSocket,
} from '../test-support';

/**
 * Two comments nodes joined by a real Redis. The test runs its own redis-server on a free port so
 * it can stop and restart it without disturbing anything else on the machine.
 */
if (!hasRedisServer) console.warn('redis-server is not installed: the multi-node live tests cannot run here (CI installs it).');

async function ready(node: LiveNode): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const res = await request(node.app).get('/readyz');
    if (res.status === 200 && res.body.checks.redis === 'ok') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${node.url} did not become ready`);
}

(hasRedisServer ? describe : describe.skip)('two comments nodes behind Redis', () => {
  let t: TestApp;
  let redis: RedisServer;
  let nodeA: LiveNode;
  let nodeB: LiveNode;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url };
    nodeA = await startLiveNode(t.source, t.tokens, env, t.clock.now);
    nodeB = await startLiveNode(t.source, t.tokens, env, t.clock.now);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await nodeA?.stop();
    await nodeB?.stop();
    await redis?.stop();
    await t.close();
  });

  async function readerOn(node: LiveNode): Promise<TestSocket> {
    const socket = connectSocket(node.url);
    sockets.push(socket);
    await connected(socket);
    return socket;
  }

  it('delivers a comment posted through one node to a reader connected to the other', async () => {
    const where = { site: await newSite(t.db), article: newArticleKey() };
    const onB = await readerOn(nodeB);
    await joinArticle(onB, where);
    const seen = recordEvents(onB);
    const posted = await postComment(nodeA.app, newUser(t.tokens), where, { body: 'Posted on A' });
    await waitFor(onB, () => seen.length >= 1);
    expect(seen.map((e) => [e.type, e.seq, (e.payload.comment as { id: string }).id])).toEqual([['comment:created', 1, posted.id]]);
  });

  it('tells a reply’s parent author on the other node; while Redis is down, on the writing node only, and posting goes on', async () => {
    const where = { site: await newSite(t.db), article: newArticleKey() };
    const alice = newUser(t.tokens, 'Alice');
    const bob = newUser(t.tokens, 'Bob');
    const onB = connectSocket(nodeB.url, { token: alice.token });
    const onA = connectSocket(nodeA.url, { token: alice.token });
    sockets.push(onA, onB);
    await Promise.all([connected(onA), connected(onB)]);
    const [seenB, seenA] = [recordEvents(onB), recordEvents(onA)];
    const replies = (seen: typeof seenA) => seen.filter((e) => e.type === 'reply:received').map((e) => e.payload.commentId);

    const question = await postComment(nodeA.app, alice, where, { body: 'A question' });
    const first = await postComment(nodeA.app, bob, where, { parentId: question.id, body: 'Through node A' });
    await waitFor(onB, () => replies(seenB).length >= 1, 'the notice on the other node');
    await waitFor(onA, () => replies(seenA).length >= 1, 'the notice on the writing node');

    await redis.stop();
    const during = await postComment(nodeA.app, bob, where, { parentId: question.id, body: 'While Redis is down' });
    await waitFor(onA, () => replies(seenA).length >= 2, 'the notice on the writing node during the outage');
    expect(replies(seenA)).toEqual([first.id, during.id]);
    await redis.restart();
    await ready(nodeA);
    await ready(nodeB);
  });

  it('keeps answering HTTP while Redis is down, and resumes live delivery when it is back', async () => {
    const where = { site: await newSite(t.db), article: newArticleKey() };
    const onB = await readerOn(nodeB);
    await joinArticle(onB, where);
    const seen = recordEvents(onB);
    const user = newUser(t.tokens);

    await redis.stop();
    const during = await postComment(nodeA.app, user, where, { body: 'While Redis is down' });
    await request(nodeA.app).get(`/api/sites/${where.site}/articles/${where.article}/comments`).expect(200);
    // A Redis blip never takes the node out of service: it stays ready, and says so in its metrics.
    const readiness = await request(nodeA.app).get('/readyz').expect(200);
    expect(readiness.body).toMatchObject({ status: 'ok', checks: { redis: 'failed', database: 'ok' } });

    await redis.restart();
    await ready(nodeA);
    await ready(nodeB);
    const after = await postComment(nodeA.app, user, where, { body: 'After Redis is back' });
    await waitFor(onB, () => seen.some((e) => e.seq === 2), 'the comment posted after Redis came back');

    // What was missed during the outage comes back through the catch-up join.
    const ack = await joinArticle(onB, { ...where, sinceSeq: 0 });
    expect(ack.ok && ack.events.map((e) => ('comment' in e ? e.comment.id : ''))).toEqual([during.id, after.id]);
  });
});
