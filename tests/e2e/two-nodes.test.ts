import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as ioClient, type Socket } from 'socket.io-client';
import request from 'supertest';
import { createAuthApp, loadAuthConfig } from '@parley/auth';
import { createCommentsApp, type CommentsApp, loadCommentsConfig, seedDemoSite } from '@parley/comments';
import { openTestDatabase, type TestDatabase } from '@parley/db';
import { createGatewayApp, type GatewayApp, loadGatewayConfig } from '@parley/gateway';
import { listen, listenMetrics, silentLogger } from '@parley/platform';
import { createTokenVerifier, generateSigningKeyPem } from '@parley/tokens';
import { hasRedisServer, startRedisServer, type RedisServer } from '../support/redis-server';

/**
 * The production topology in miniature: one gateway balancing over two comments nodes joined by
 * Redis, with auth beside them. Requests spread over both nodes, live events cross them, and when
 * one node stops mid-run the API keeps answering and readers reconnect to the other and catch up.
 */
jest.setTimeout(60_000);

type Server = Awaited<ReturnType<typeof listen>>;
interface Node {
  app: CommentsApp;
  server: Server;
  url: string;
  /** The node's own metrics listener, as main.ts starts it beside the public one. */
  metricsUrl: string;
}

let database: TestDatabase;
let redis: RedisServer;
let dataDir: string;
const closers: (() => Promise<void>)[] = [];
let nodes: Node[];
let gateway: GatewayApp;
let gatewayUrl: string;

async function startNode(jwksUrl: string): Promise<Node> {
  const config = loadCommentsConfig({ REDIS_URL: redis.url, JWKS_URL: jwksUrl, COMMENT_RATE_LIMIT: '10000' });
  const app = createCommentsApp({
    config,
    database: database.source,
    logger: silentLogger(),
    tokenVerifier: createTokenVerifier({ jwksUrl, issuer: config.issuer, audience: config.audience }),
  });
  const server = await listen(app.app, 0);
  await app.attach(server.server);
  const metrics = await listenMetrics([app.metrics], 0);
  closers.push(metrics.close);
  return { app, server, url: `http://127.0.0.1:${server.port}`, metricsUrl: `http://127.0.0.1:${metrics.port}` };
}

(hasRedisServer ? describe : describe.skip)('two comments nodes behind the gateway', () => {
  beforeAll(async () => {
    database = await openTestDatabase();
    redis = await startRedisServer();
    dataDir = await mkdtemp(join(tmpdir(), 'parley-two-nodes-'));
    await seedDemoSite(database.source, { origins: ['http://localhost:8081'] });
    const auth = createAuthApp({
      config: loadAuthConfig({ REGISTER_RATE_LIMIT_PER_IP: '1000' }),
      database: database.source,
      logger: silentLogger(),
      signingKeyPem: generateSigningKeyPem(),
    });
    const authServer = await listen(auth.app, 0);
    closers.push(auth.stop, authServer.close);
    const jwksUrl = `http://127.0.0.1:${authServer.port}/auth/.well-known/jwks.json`;
    nodes = [await startNode(jwksUrl), await startNode(jwksUrl)];
    gateway = createGatewayApp({
      config: loadGatewayConfig({
        AUTH_URL: `http://127.0.0.1:${authServer.port}`,
        COMMENTS_URLS: nodes.map((node) => node.url).join(','),
        UPSTREAM_HEALTH_INTERVAL_MS: '200',
      }),
      logger: silentLogger(),
    });
    await gateway.ready();
    const gatewayServer = await listen(gateway.app, 0);
    gateway.attach(gatewayServer.server);
    gatewayUrl = `http://127.0.0.1:${gatewayServer.port}`;
    closers.push(gatewayServer.close, gateway.stop);
  });

  afterAll(async () => {
    for (const node of nodes ?? []) await node.app.stop().catch(() => {});
    for (const close of closers.reverse()) await close().catch(() => {});
    await redis?.stop();
    await database?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('spreads requests, carries live events across nodes, and survives losing a node without losing a comment', async () => {
    const api = request(gatewayUrl);
    const session = await api
      .post('/auth/register')
      .send({ email: `nodes-${randomUUID()}@example.com`, password: 'correct horse battery', displayName: 'Node Walker' })
      .expect(201);
    const token = session.body.accessToken as string;
    const article = `two-nodes-${randomUUID()}`;
    const thread = `/api/sites/demo/articles/${article}/comments`;

    for (let i = 0; i < 8; i++) await api.get(thread).expect(200);
    for (const node of nodes) {
      const metrics = await request(node.metricsUrl).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/route="\/api\/sites\/:site\/articles\/:article\/comments",status="200"[^\n]*\} [1-9]/);
    }

    // Readers through the gateway, spread over both nodes; each tracks what it has applied.
    const readers = await Promise.all(Array.from({ length: 4 }, () => reader(article)));
    const perNode = await Promise.all(nodes.map(async (node) => Number(/live_sockets\{[^}]*\} (\d+)/.exec((await request(node.metricsUrl).get('/metrics')).text)?.[1])));
    expect(perNode.every((count) => count >= 1)).toBe(true);

    const posted: string[] = [];
    const post = async (body: string) => {
      const res = await api.post(thread).set('Authorization', `Bearer ${token}`).send({ body });
      expect(res.status).toBe(201);
      posted.push(res.body.comment.id as string);
    };
    for (let i = 0; i < 5; i++) await post(`before ${i}`);

    // One node stops (as on SIGTERM) while comments keep being posted through the gateway.
    const [leaving] = nodes.splice(0, 1);
    const during = (async () => {
      for (let i = 0; i < 10; i++) await post(`during ${i}`);
    })();
    await leaving!.app.stop();
    await during;
    for (let i = 0; i < 5; i++) await post(`after ${i}`);
    await api.get(thread).expect(200);

    // Every reader, reconnected or not, ends up with every comment, none twice.
    await Promise.all(readers.map((r) => r.waitFor(posted.length)));
    for (const r of readers) expect([...r.seen].sort()).toEqual([...posted].sort());
    const stored = await api.get(`${thread}?limit=100`).expect(200);
    expect(stored.body.article.commentCount).toBe(posted.length);
    for (const r of readers) r.socket.disconnect();
  });
});

/**
 * A reader the way the widget behaves: joins with its last seq on every (re)connection, and on a
 * gap (events from two nodes can arrive out of order) rejoins to have the missing ones replayed.
 */
async function reader(article: string) {
  const seen = new Set<string>();
  let lastSeq = 0;
  const waiters: (() => void)[] = [];
  const socket: Socket = ioClient(gatewayUrl, { transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 500 });
  type Event = { seq: number; comment?: { id: string } };
  const join = () =>
    new Promise<void>((resolve) => {
      socket.emit('article:join', { site: 'demo', article, sinceSeq: lastSeq }, (ack: { ok: boolean; events: Event[] }) => {
        if (ack.ok) for (const event of ack.events) apply(event, false);
        resolve();
      });
    });
  const apply = (event: Event, live = true) => {
    if (event.seq <= lastSeq) return;
    if (event.seq > lastSeq + 1) {
      if (live) void join();
      return;
    }
    lastSeq = event.seq;
    if (event.comment) seen.add(event.comment.id);
    for (const wake of waiters.splice(0)) wake();
  };
  socket.on('comment:created', (event: Event) => apply(event));
  const joined = new Promise<void>((resolve) => socket.on('connect', () => void join().then(resolve)));
  await joined;
  return {
    socket,
    seen,
    waitFor(count: number) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`reader saw ${seen.size} of ${count}`)), 15_000);
        const check = () => {
          if (seen.size >= count) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}
