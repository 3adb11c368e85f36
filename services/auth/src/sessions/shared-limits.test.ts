import request from 'supertest';
import { hasRedisServer, startRedisServer, type RedisServer } from '../../../../tests/support/redis-server';
import { expectError, registerUser, startTestAuth, uniqueEmail, type TestAuth } from '../test-support';

/**
 * Several auth nodes: logins, registrations and refreshes are one budget per client address
 * whichever node takes the request (counted in Redis); while Redis is away each node counts on
 * its own and stays ready — never everyone refused, never a 5xx.
 */
let redis: RedisServer;
let nodes: TestAuth[];

beforeAll(async () => {
  if (!hasRedisServer) throw new Error('redis-server is not installed: .ci/run installs it');
  redis = await startRedisServer();
  const env = { REDIS_URL: redis.url, LOGIN_RATE_LIMIT_PER_IP: '3', REGISTER_RATE_LIMIT_PER_IP: '3', REFRESH_RATE_LIMIT_PER_IP: '3' };
  const first = await startTestAuth({ env });
  nodes = [first, await startTestAuth({ env, database: first.database })];
  for (let attempt = 0; attempt < 50; attempt++) {
    const up = await Promise.all(nodes.map(async (node) => (await request(node.app).get('/readyz')).body.checks?.redis === 'ok'));
    if (up.every(Boolean)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});
afterAll(async () => {
  // The second node shares the first one's database: close it first.
  for (const node of [...(nodes ?? [])].reverse()) await node.close();
  await redis?.stop();
});

const from = (address: string) => ({ 'X-Forwarded-For': address });
const nodeFor = (i: number) => nodes[i % 2]!.app;

it('refuses the 4th login from one address whichever node takes it', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    statuses.push((await request(nodeFor(i)).post('/auth/login').set(from('198.51.100.10')).send({ email: uniqueEmail(), password: 'not the password' })).status);
  }
  expect(statuses).toEqual([401, 401, 401, 429]);
  expectError(await request(nodeFor(0)).post('/auth/login').set(from('198.51.100.10')).send({ email: uniqueEmail(), password: 'x' }), 429, 'rate_limited');
  expect((await request(nodeFor(1)).post('/auth/login').set(from('198.51.100.11')).send({ email: uniqueEmail(), password: 'x' })).status).toBe(401);
});

it('refuses the 4th registration from one address whichever node takes it', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    statuses.push((await request(nodeFor(i)).post('/auth/register').set(from('198.51.100.20')).send({ email: uniqueEmail(), password: 'correct horse battery', displayName: 'Reader' })).status);
  }
  expect(statuses).toEqual([201, 201, 201, 429]);
});

it('refuses the 4th refresh from one address whichever node takes it', async () => {
  const user = await registerUser(nodeFor(0));
  let refreshToken = user.session.refreshToken;
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const response = await request(nodeFor(i)).post('/auth/refresh').set(from('198.51.100.30')).send({ refreshToken });
    statuses.push(response.status);
    if (response.status === 200) refreshToken = response.body.refreshToken;
  }
  expect(statuses).toEqual([200, 200, 200, 429]);
  // The refused call spent nothing: the last token still works from elsewhere.
  expect((await request(nodeFor(1)).post('/auth/refresh').set(from('198.51.100.31')).send({ refreshToken })).status).toBe(200);
});

it('keeps logging in and stays ready while Redis is away, counting per node', async () => {
  const user = await registerUser(nodeFor(0), {});
  await redis.stop();
  try {
    for (const node of nodes) {
      const login = await request(node.app).post('/auth/login').set(from('198.51.100.40')).send({ email: user.email, password: user.password });
      expect(login.status).toBe(200);
      const readiness = await request(node.app).get('/readyz');
      expect({ status: readiness.status, redis: readiness.body.checks.redis }).toEqual({ status: 200, redis: 'failed' });
    }
  } finally {
    await redis.restart();
  }
});
