import request from 'supertest';
import { hasRedisServer, startRedisServer, type RedisServer } from '../../../../tests/support/redis-server';
import { bearer, newArticleKey, newSite, newUser, startLiveNode, startTestApp, threadPath, type LiveNode, type TestApp } from '../test-support';

/**
 * Rate limits with several comments nodes: one budget per user whichever node takes the request
 * (through Redis), and per node while Redis is away — never everyone blocked, never a 5xx.
 */
let t: TestApp;
let redis: RedisServer;
let nodes: LiveNode[];

beforeAll(async () => {
  if (!hasRedisServer) throw new Error('redis-server is not installed: .ci/run installs it');
  t = await startTestApp();
  redis = await startRedisServer();
  const env = { REDIS_URL: redis.url, COMMENT_RATE_LIMIT: '10', COMMENT_RATE_WINDOW_SECONDS: '60' };
  nodes = [await startLiveNode(t.source, t.tokens, env), await startLiveNode(t.source, t.tokens, env)];
  // Both nodes' rate-limit connections are up before the budget is spent.
  for (let attempt = 0; attempt < 50; attempt++) {
    const up = await Promise.all(nodes.map(async (node) => (await request(node.app).get('/readyz')).body.checks?.redis === 'ok'));
    if (up.every(Boolean)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});
afterAll(async () => {
  for (const node of nodes ?? []) await node.stop();
  await redis?.stop();
  await t?.close();
});

it('refuses the 11th post in a window whichever node takes it', async () => {
  const where = { site: await newSite(t.db), article: newArticleKey() };
  const writer = newUser(t.tokens);
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) {
    const node = nodes[i % 2]!;
    statuses.push((await request(node.app).post(threadPath(where)).set(bearer(writer)).send({ body: `Post ${i + 1}` })).status);
  }
  expect(statuses).toEqual([...Array(10).fill(201), 429]);
  // Also on the other node, and not for someone else.
  expect((await request(nodes[0]!.app).post(threadPath(where)).set(bearer(writer)).send({ body: 'Twelfth' })).status).toBe(429);
  expect((await request(nodes[1]!.app).post(threadPath(where)).set(bearer(newUser(t.tokens))).send({ body: 'Someone else' })).status).toBe(201);
});

it('keeps posting and stays ready while Redis is away, counting per node', async () => {
  const where = { site: await newSite(t.db), article: newArticleKey() };
  await redis.stop();
  const writer = newUser(t.tokens);
  for (const node of nodes) {
    expect((await request(node.app).post(threadPath(where)).set(bearer(writer)).send({ body: 'During the outage' })).status).toBe(201);
    const readiness = await request(node.app).get('/readyz');
    expect({ status: readiness.status, redis: readiness.body.checks.redis }).toEqual({ status: 200, redis: 'failed' });
  }
  await redis.restart();
});
