import http from 'node:http';
import type { Duplex } from 'node:stream';
import request from 'supertest';
import { listen, silentLogger } from '@parley/platform';
import { hasRedisServer, startRedisServer, type RedisServer } from '../../../tests/support/redis-server';
import { createGatewayApp, type GatewayApp } from './app';
import { loadGatewayConfig } from './config';

/**
 * Two gateways sharing one Redis: the per-client budget and the per-address socket cap are one
 * count whichever gateway the client reaches; while Redis is away each gateway counts alone and
 * stays ready. The upstream is a stand-in that answers every request and accepts every upgrade.
 */
let redis: RedisServer;
let upstream: { url: string; close(): Promise<void> };
const gateways: { gateway: GatewayApp; port: number; close(): Promise<void> }[] = [];
const opened: Duplex[] = [];

async function standIn() {
  const sockets: Duplex[] = [];
  const server = await listen((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(req.url === '/internal/allowed-origins' ? '{"origins":[]}' : '{"status":"ok"}');
  }, 0);
  server.server.on('upgrade', (_req: http.IncomingMessage, socket: Duplex) => {
    sockets.push(socket);
    socket.on('error', () => socket.destroy());
    socket.on('end', () => socket.end());
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await server.close();
    },
  };
}

async function startGateway(env: Record<string, string>) {
  const gateway = createGatewayApp({
    config: loadGatewayConfig({ AUTH_URL: upstream.url, COMMENTS_URL: upstream.url, REDIS_URL: redis.url, TRUST_PROXY: 'loopback', ...env }),
    logger: silentLogger(),
  });
  await gateway.ready();
  const server = await listen(gateway.app, 0);
  gateway.attach(server.server);
  const started = {
    gateway,
    port: server.port,
    async close() {
      await gateway.stop();
      await server.close();
    },
  };
  gateways.push(started);
  // Its shared-budget connection is up before anything is counted.
  for (let attempt = 0; attempt < 50; attempt++) {
    if ((await request(gateway.app).get('/readyz')).body.checks?.redis === 'ok') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return started;
}

function upgrade(port: number, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: '/socket.io/?EIO=4&transport=websocket',
      agent: false,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'X-Forwarded-For': address },
    });
    req.on('upgrade', (res, socket) => {
      opened.push(socket);
      socket.on('error', () => socket.destroy());
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  if (!hasRedisServer) throw new Error('redis-server is not installed: .ci/run installs it');
  redis = await startRedisServer();
  upstream = await standIn();
});
afterEach(async () => {
  for (const socket of opened.splice(0)) socket.destroy();
  for (const started of gateways.splice(0)) await started.close();
});
afterAll(async () => {
  await upstream?.close();
  await redis?.stop();
});

it('spends one per-client budget across gateways: the 6th request is refused whichever gateway takes it', async () => {
  const [a, b] = [await startGateway({ GATEWAY_RATE_LIMIT: '5' }), await startGateway({ GATEWAY_RATE_LIMIT: '5' })];
  const from = { 'X-Forwarded-For': '203.0.113.50' };
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await request([a, b][i % 2]!.gateway.app).get('/api/x').set(from)).status);
  expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  expect((await request(a.gateway.app).get('/api/x').set(from)).status).toBe(429);
  // Someone else still has their own budget.
  expect((await request(b.gateway.app).get('/api/x').set({ 'X-Forwarded-For': '203.0.113.51' })).status).toBe(200);
});

it('caps the sockets of one address across gateways, and gives a place back when a socket closes', async () => {
  const env = { LIVE_MAX_SOCKETS_PER_ADDRESS: '3' };
  const [a, b] = [await startGateway(env), await startGateway(env)];
  const address = '203.0.113.60';
  const statuses = [await upgrade(a.port, address), await upgrade(b.port, address), await upgrade(a.port, address), await upgrade(b.port, address)];
  expect(statuses).toEqual([101, 101, 101, 429]);
  expect(await upgrade(a.port, address)).toBe(429);
  const first = opened[0]!;
  await new Promise<void>((resolve) => {
    first.once('close', () => resolve());
    first.destroy();
  });
  // The gateway that held it gives the place back (in Redis) once it sees the close.
  let again = 429;
  for (let attempt = 0; attempt < 50 && again === 429; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    again = await upgrade(b.port, address);
  }
  expect(again).toBe(101);
});

it('forgets the sockets of a gateway that stopped', async () => {
  const env = { LIVE_MAX_SOCKETS_PER_ADDRESS: '2' };
  const a = await startGateway(env);
  const b = await startGateway(env);
  const address = '203.0.113.70';
  expect([await upgrade(a.port, address), await upgrade(a.port, address), await upgrade(b.port, address)]).toEqual([101, 101, 429]);
  await a.close();
  gateways.splice(gateways.indexOf(a), 1);
  expect(await upgrade(b.port, address)).toBe(101);
});

it('keeps serving and stays ready while Redis is away, counting per gateway', async () => {
  const [a, b] = [await startGateway({ GATEWAY_RATE_LIMIT: '3' }), await startGateway({ GATEWAY_RATE_LIMIT: '3' })];
  await redis.stop();
  try {
    const from = { 'X-Forwarded-For': '203.0.113.80' };
    for (const started of [a, b]) {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await request(started.gateway.app).get('/api/x').set(from)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const readiness = await request(started.gateway.app).get('/readyz');
      expect({ status: readiness.status, redis: readiness.body.checks.redis }).toEqual({ status: 200, redis: 'failed' });
      expect(await upgrade(started.port, '203.0.113.81')).toBe(101);
    }
  } finally {
    await redis.restart();
  }
});
