import { createClient } from 'redis';
import { hasRedisServer, startRedisServer, type RedisServer } from '../../../tests/support/redis-server';
import { AppError } from './errors';
import { RateLimiter } from './rate-limit';

/**
 * Budgets shared through Redis by several nodes, and what happens while that Redis is away: each
 * node counts on its own (never blocking everyone, never waiting), and shares again once it is back.
 */
type Client = ReturnType<typeof createClient>;
let redis: RedisServer;
const clients: Client[] = [];

async function connect(): Promise<Client> {
  const client = createClient({ url: redis.url, socket: { reconnectStrategy: () => 50, connectTimeout: 500 } });
  client.on('error', () => {});
  await client.connect();
  clients.push(client);
  return client;
}

const refused = (promise: Promise<void>) =>
  promise.then(
    () => false,
    (error: unknown) => {
      if (error instanceof AppError && error.status === 429) return true;
      throw error;
    },
  );

beforeAll(async () => {
  if (!hasRedisServer) throw new Error('redis-server is not installed: .ci/run installs it (apt-get install redis-server)');
  redis = await startRedisServer();
});
afterAll(async () => {
  for (const client of clients) await client.quit().catch(() => client.disconnect());
  await redis?.stop();
});

it('gives one budget to a key on every node that shares the Redis', async () => {
  const rule = { points: 3, durationSeconds: 60 };
  const [nodeA, nodeB] = [new RateLimiter('shared', rule, 'slow down', { redis: await connect() }), new RateLimiter('shared', rule, 'slow down', { redis: await connect() })];
  const outcomes = [];
  for (const node of [nodeA, nodeB, nodeA, nodeB]) outcomes.push(await refused(node.consume('user-1')));
  expect(outcomes).toEqual([false, false, false, true]);
  // Another key has its own budget; a memory-only limiter knows nothing of the shared one.
  expect(await refused(nodeB.consume('user-2'))).toBe(false);
  expect(await refused(new RateLimiter('shared', rule).consume('user-1'))).toBe(false);
});

it('counts on each node while Redis is away, without waiting for it, and shares again when it is back', async () => {
  const rule = { points: 2, durationSeconds: 60 };
  const [a, b] = [await connect(), await connect()];
  const [nodeA, nodeB] = [new RateLimiter('outage', rule, undefined, { redis: a }), new RateLimiter('outage', rule, undefined, { redis: b })];
  await redis.stop();
  for (let i = 0; i < 50 && (a.isReady || b.isReady); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  // Per node now: two each, then refused on that node only.
  expect([await refused(nodeA.consume('k')), await refused(nodeA.consume('k')), await refused(nodeA.consume('k'))]).toEqual([false, false, true]);
  expect(await refused(nodeB.consume('k'))).toBe(false);

  await redis.restart();
  for (let i = 0; i < 100 && !(a.isReady && b.isReady); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(a.isReady && b.isReady).toBe(true);
  expect([await refused(nodeA.consume('k2')), await refused(nodeB.consume('k2')), await refused(nodeA.consume('k2'))]).toEqual([false, false, true]);
});
