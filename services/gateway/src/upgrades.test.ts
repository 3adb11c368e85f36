import http from 'node:http';
import type { Duplex } from 'node:stream';
import request from 'supertest';
import { listen, silentLogger } from '@parley/platform';
import { createGatewayApp, type GatewayApp } from './app';
import { loadGatewayConfig } from './config';

/**
 * Who the gateway thinks the client is, for plain requests and WebSocket upgrades alike: the
 * per-address budget, the per-address socket cap, and the X-Forwarded-For the services are told.
 * The upstream is a stand-in that accepts every upgrade and keeps the socket open.
 */
interface StandIn {
  url: string;
  /** Headers of every upgrade and request that reached it. */
  upgrades: http.IncomingHttpHeaders[];
  requests: http.IncomingHttpHeaders[];
  /** Resolves when the n-th upgraded socket (0-based) has closed on the upstream side. */
  closed(index: number): Promise<void>;
  close(): Promise<void>;
}

async function standIn(): Promise<StandIn> {
  const upgrades: http.IncomingHttpHeaders[] = [];
  const requests: http.IncomingHttpHeaders[] = [];
  const sockets: Duplex[] = [];
  const closings: Promise<void>[] = [];
  const server = await listen((req, res) => {
    if (req.url === '/internal/allowed-origins') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ origins: [] }));
      return;
    }
    if (req.url !== '/readyz') requests.push(req.headers);
    res.setHeader('content-type', 'application/json');
    res.end('{"status":"ok"}');
  }, 0);
  server.server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
    upgrades.push(req.headers);
    sockets.push(socket);
    closings.push(new Promise((resolve) => socket.once('close', () => resolve())));
    socket.on('error', () => socket.destroy());
    socket.on('end', () => socket.end());
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    upgrades,
    requests,
    closed: (index) => closings[index] ?? Promise.reject(new Error(`no upgrade number ${index}`)),
    async close() {
      for (const socket of sockets) socket.destroy();
      await server.close();
    },
  };
}

interface Running {
  gateway: GatewayApp;
  port: number;
  close(): Promise<void>;
}

async function startGateway(upstream: StandIn, env: Record<string, string> = {}): Promise<Running> {
  const gateway = createGatewayApp({
    config: loadGatewayConfig({ AUTH_URL: upstream.url, COMMENTS_URL: upstream.url, ...env }),
    logger: silentLogger(),
  });
  await gateway.ready();
  const server = await listen(gateway.app, 0);
  gateway.attach(server.server);
  return {
    gateway,
    port: server.port,
    async close() {
      await gateway.stop();
      await server.close();
    },
  };
}

interface Upgrade {
  status: number;
  /** Set when the upgrade went through (101); the caller destroys it. */
  socket?: Duplex;
}

const opened: Duplex[] = [];

/** A WebSocket upgrade as a browser sends it, without the WebSocket framing (the stand-in doesn't speak it). */
function upgrade(port: number, headers: Record<string, string> = {}): Promise<Upgrade> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: '/socket.io/?EIO=4&transport=websocket',
      agent: false,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', ...headers },
    });
    req.on('upgrade', (res, socket) => {
      opened.push(socket);
      socket.on('error', () => socket.destroy());
      resolve({ status: res.statusCode ?? 0, socket });
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function upgrades(port: number, count: number, headers: (i: number) => Record<string, string>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push((await upgrade(port, headers(i))).status);
  return statuses;
}

const tally = (statuses: number[]) => ({
  accepted: statuses.filter((status) => status === 101).length,
  refused: statuses.filter((status) => status === 429).length,
});

let upstream: StandIn;
const running: Running[] = [];
async function gatewayWith(env: Record<string, string>): Promise<Running> {
  const started = await startGateway(upstream, env);
  running.push(started);
  return started;
}

beforeAll(async () => {
  upstream = await standIn();
});

afterEach(async () => {
  for (const socket of opened.splice(0)) socket.destroy();
  for (const started of running.splice(0)) await started.close();
});

afterAll(async () => {
  await upstream.close();
});

describe('the per-address budget on WebSocket upgrades', () => {
  it('ignores X-Forwarded-For when no proxy is trusted (the default): a rotating header buys nothing', async () => {
    const { port } = await gatewayWith({ GATEWAY_RATE_LIMIT: '20' });
    const statuses = await upgrades(port, 30, (i) => ({ 'X-Forwarded-For': `198.51.100.${i + 1}` }));
    expect(tally(statuses)).toEqual({ accepted: 20, refused: 10 });
  });

  it('behind a trusted proxy, counts the address that proxy saw, not what the client wrote to its left', async () => {
    const { port } = await gatewayWith({ GATEWAY_RATE_LIMIT: '20', TRUST_PROXY: 'loopback' });
    // The terminator appends the real peer; everything left of it is whatever the client sent.
    const statuses = await upgrades(port, 30, (i) => ({ 'X-Forwarded-For': `198.51.100.${i + 1}, 203.0.113.7` }));
    expect(tally(statuses)).toEqual({ accepted: 20, refused: 10 });
  });

  it('answers a refused upgrade with an empty 429 and Retry-After, and never reaches the service', async () => {
    const { port } = await gatewayWith({ GATEWAY_RATE_LIMIT: '1' });
    expect((await upgrade(port)).status).toBe(101);
    const before = upstream.upgrades.length;
    const refused = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http
        .request({ host: '127.0.0.1', port, path: '/socket.io/', agent: false, headers: { Connection: 'Upgrade', Upgrade: 'websocket' } })
        .on('response', resolve)
        .on('error', reject)
        .end();
    });
    refused.resume();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-length']).toBe('0');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(upstream.upgrades.length).toBe(before);
  });
});

describe('with TRUST_PROXY naming the proxy', () => {
  it.each(['loopback', '127.0.0.0/8'])(
    'TRUST_PROXY=%s: HTTP and upgrades count the same forwarded address, one budget between them',
    async (trust) => {
      const { gateway, port } = await gatewayWith({ GATEWAY_RATE_LIMIT: '3', TRUST_PROXY: trust });
      const from = (address: string) => ({ 'X-Forwarded-For': address });
      await request(gateway.app).get('/api/x').set(from('203.0.113.1')).expect(200);
      await request(gateway.app).get('/api/x').set(from('203.0.113.1')).expect(200);
      expect((await upgrade(port, from('203.0.113.1'))).status).toBe(101);
      // The address's budget of 3 is spent, by HTTP and upgrade alike…
      expect((await upgrade(port, from('203.0.113.1'))).status).toBe(429);
      await request(gateway.app).get('/api/x').set(from('203.0.113.1')).expect(429);
      // …and other addresses behind the same proxy keep theirs.
      expect((await upgrade(port, from('203.0.113.2'))).status).toBe(101);
      await request(gateway.app).get('/api/x').set(from('203.0.113.3')).expect(200);
    },
  );

  it('refuses a TRUST_PROXY it cannot read, naming the variable', () => {
    expect(() => loadGatewayConfig({ TRUST_PROXY: 'the load balancer' })).toThrow(/TRUST_PROXY/);
  });
});

describe('what the services are told', () => {
  it('replaces a forged X-Forwarded-For with the peer address when no proxy is trusted, on HTTP and upgrades', async () => {
    const { gateway, port } = await gatewayWith({});
    await request(gateway.app).get('/api/who').set('X-Forwarded-For', '198.51.100.9').expect(200);
    expect(upstream.requests.at(-1)?.['x-forwarded-for']).toBe('127.0.0.1');
    expect((await upgrade(port, { 'X-Forwarded-For': '198.51.100.9' })).status).toBe(101);
    expect(upstream.upgrades.at(-1)?.['x-forwarded-for']).toBe('127.0.0.1');
  });

  it("behind a trusted proxy, ends X-Forwarded-For with the client the gateway counted (the one hop services trust)", async () => {
    const { gateway, port } = await gatewayWith({ TRUST_PROXY: 'loopback' });
    const header = { 'X-Forwarded-For': '198.51.100.9, 203.0.113.7', 'X-Forwarded-Proto': 'https' };
    await request(gateway.app).get('/api/who').set(header).expect(200);
    expect(upstream.requests.at(-1)?.['x-forwarded-for']).toBe('203.0.113.7');
    expect(upstream.requests.at(-1)?.['x-forwarded-proto']).toBe('https');
    expect((await upgrade(port, header)).status).toBe(101);
    expect(upstream.upgrades.at(-1)?.['x-forwarded-for']).toBe('203.0.113.7');
  });
});

describe('the live sockets one address may hold', () => {
  it('refuses the upgrade past LIVE_MAX_SOCKETS_PER_ADDRESS with an empty 429, and takes one again when a socket closes', async () => {
    const { port } = await gatewayWith({ LIVE_MAX_SOCKETS_PER_ADDRESS: '3', TRUST_PROXY: 'loopback' });
    const from = (address: string) => ({ 'X-Forwarded-For': address });
    const first = upstream.upgrades.length;
    const held: Upgrade[] = [];
    for (let i = 0; i < 3; i++) held.push(await upgrade(port, from('203.0.113.20')));
    expect(held.map((one) => one.status)).toEqual([101, 101, 101]);

    const over = await upgrade(port, from('203.0.113.20'));
    expect(over.status).toBe(429);
    expect(upstream.upgrades.length).toBe(first + 3);
    // Another reader behind the same proxy is not affected.
    expect((await upgrade(port, from('203.0.113.21'))).status).toBe(101);

    held[0]!.socket!.destroy();
    await upstream.closed(first);
    expect((await upgrade(port, from('203.0.113.20'))).status).toBe(101);
    expect((await upgrade(port, from('203.0.113.20'))).status).toBe(429);
  });
});
