import { sql } from 'kysely';
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
  threadPath,
  bearer,
  newStaff,
  moderationPath,
  waitFor,
  type LiveNode,
  type TestApp,
  type TestSocket,
} from '../test-support';

/**
 * Pushes come from the article_events log (ADR 0014): each node's relay follows the rooms its
 * readers watch, woken by PostgreSQL NOTIFY for any node's commit. So an event committed by a node
 * that never pushes it is still pushed; two nodes writing the same article push in seq order to
 * every reader; quiet rooms hear a heartbeat with the seq; and a Redis outage changes nothing for
 * article pushes, on the writing node or the other one.
 */
let t: TestApp;
let redis: RedisServer;
let nodeA: LiveNode;
let nodeB: LiveNode;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  if (!hasRedisServer) throw new Error('redis-server is not installed: .ci/run installs it');
  t = await startTestApp();
  redis = await startRedisServer();
  const env = { REDIS_URL: redis.url, LIVE_HEARTBEAT_SECONDS: '0.3' };
  nodeA = await startLiveNode(t.source, t.tokens, env, t.clock.now);
  nodeB = await startLiveNode(t.source, t.tokens, env, t.clock.now);
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});
afterAll(async () => {
  await nodeA?.stop();
  await nodeB?.stop();
  await redis?.stop();
  await t?.close();
});

async function readerOn(node: LiveNode, where: { site: string; article: string }) {
  const socket = connectSocket(node.url);
  sockets.push(socket);
  await connected(socket);
  const seen = recordEvents(socket);
  const ack = await joinArticle(socket, where);
  if (!ack.ok) throw new Error(ack.error.message);
  return { socket, seen };
}

const seqsOf = (seen: { type: string; seq: number }[]) => seen.filter((event) => event.type !== 'article:seq').map((event) => event.seq);

it('pushes an event that the writing process never pushed (it has no live stream, like a node that died after its commit)', async () => {
  const where = { site: await newSite(t.db), article: newArticleKey() };
  const onA = await readerOn(nodeA, where);
  const onB = await readerOn(nodeB, where);
  // t.app writes to the same database but has no live stream attached: nothing in it pushes.
  const posted = await postComment(t.app, newUser(t.tokens), where, { body: 'Committed, never pushed by its writer' });
  await waitFor(onA.socket, () => onA.seen.length >= 1, 'the push on A');
  await waitFor(onB.socket, () => onB.seen.length >= 1, 'the push on B');
  for (const { seen } of [onA, onB]) {
    expect(seen.map((event) => [event.type, event.seq, (event.payload.comment as { id: string }).id])).toEqual([['comment:created', 1, posted.id]]);
  }
});

it('pushes in seq order to every reader on both nodes while both nodes take writes to the same article', async () => {
  const where = { site: await newSite(t.db), article: newArticleKey() };
  const readers = [await readerOn(nodeA, where), await readerOn(nodeA, where), await readerOn(nodeB, where), await readerOn(nodeB, where)];
  const writers = [newUser(t.tokens), newUser(t.tokens), newUser(t.tokens)];
  const total = 30;
  // Three writers at once, alternating nodes, so commits of the two nodes interleave.
  await Promise.all(
    writers.map(async (writer, w) => {
      for (let i = w; i < total; i += writers.length) {
        const node = i % 2 === 0 ? nodeA : nodeB;
        await request(node.app).post(threadPath(where)).set(bearer(writer)).send({ body: `Post ${i}` }).expect(201);
      }
    }),
  );
  const expected = Array.from({ length: total }, (_, i) => i + 1);
  for (const { socket, seen } of readers) {
    await waitFor(socket, () => seen.length >= total, `${total} pushes`);
    // Strictly in order, none missing, none twice: no reader would need a catch-up join.
    expect(seqsOf(seen)).toEqual(expected);
  }
});

it('tells a quiet room where its article stands, so a reader that missed a push finds the gap', async () => {
  const where = { site: await newSite(t.db), article: newArticleKey() };
  await postComment(nodeA.app, newUser(t.tokens), where, { body: 'Before anyone watched' });
  const socket = connectSocket(nodeB.url);
  sockets.push(socket);
  await connected(socket);
  const heard = recordEvents(socket, { heartbeats: true });
  // A reader whose page is at seq 0 and who joins without sinceSeq (so it is given nothing).
  await joinArticle(socket, where);
  await waitFor(socket, () => heard.some((event) => event.type === 'article:seq'), 'a heartbeat');
  expect(heard.find((event) => event.type === 'article:seq')?.payload).toEqual({ ...where, seq: 1 });
});

it('keeps pushing every write to the readers of both nodes while Redis is away, and stays ready', async () => {
  const where = { site: await newSite(t.db), article: newArticleKey() };
  const onA = await readerOn(nodeA, where);
  const onB = await readerOn(nodeB, where);
  const writer = newUser(t.tokens);
  await redis.stop();
  try {
    for (let i = 0; i < 6; i++) await postComment((i % 2 === 0 ? nodeA : nodeB).app, writer, where, { body: `During the outage ${i}` });
    for (const { socket, seen } of [onA, onB]) {
      await waitFor(socket, () => seen.length >= 6, 'six pushes during the outage');
      expect(seqsOf(seen)).toEqual([1, 2, 3, 4, 5, 6]);
    }
    for (const node of [nodeA, nodeB]) {
      const readiness = await request(node.app).get('/readyz');
      expect({ status: readiness.status, redis: readiness.body.checks.redis }).toEqual({ status: 200, redis: 'failed' });
    }
  } finally {
    await redis.restart();
  }
});

it('tells a banned reader at once, on the node that took the ban, while Redis is away', async () => {
  const site = await newSite(t.db);
  const reader = newUser(t.tokens, 'Troll');
  const socket = connectSocket(nodeA.url, { token: reader.token });
  sockets.push(socket);
  await connected(socket);
  const heard = recordEvents(socket);
  await redis.stop();
  try {
    await request(nodeA.app).post(moderationPath(`/users/${reader.id}/ban`)).set(bearer(newStaff(t.tokens))).send({ site, reason: 'Trolling' }).expect(201);
    // The adapter would hold this until Redis answers; the node's own sockets hear it now.
    await waitFor(socket, () => heard.some((event) => event.type === 'session:banned'), 'the ban notice');
  } finally {
    await redis.restart();
  }
});

it('keeps pushing other nodes\' writes when its LISTEN connection is cut, and listens again by itself', async () => {
  const where = { site: await newSite(t.db), article: newArticleKey() };
  const onB = await readerOn(nodeB, where);
  // Cut every relay's LISTEN connection on this database (they reconnect; meanwhile they poll).
  await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen %'`.execute(t.db);
  await postComment(nodeA.app, newUser(t.tokens), where, { body: 'While B cannot listen' });
  await waitFor(onB.socket, () => onB.seen.length >= 1, 'the push while B could not listen');
  let listening = 0;
  for (let attempt = 0; attempt < 100 && listening < 2; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'listen %'`.execute(t.db);
    listening = rows[0]!.n;
  }
  expect(listening).toBeGreaterThanOrEqual(2);
  await postComment(nodeA.app, newUser(t.tokens), where, { body: 'Listening again' });
  await waitFor(onB.socket, () => onB.seen.length >= 2, 'the push once B listens again');
  expect(seqsOf(onB.seen)).toEqual([1, 2]);
});
