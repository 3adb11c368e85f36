import http from 'node:http';
import request from 'supertest';
import { listen, listenMetrics, silentLogger } from '@parley/platform';
import { createGatewayApp, type GatewayApp } from './app';
import { loadGatewayConfig } from './config';

/**
 * The gateway against small stand-in services (plain HTTP servers that echo what reached them),
 * so proxying, errors, CORS and limits are checked without the real services' databases.
 */
interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

async function echoService(name: string, options: { delayMs?: number; origins?: string[] } = {}) {
  const seen: Seen[] = [];
  const server = await listen((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/internal/allowed-origins') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ origins: options.origins ?? [] }));
        return;
      }
      if (req.url === '/healthz') {
        res.end('{"status":"ok"}');
        return;
      }
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const respond = () => {
        res.setHeader('content-type', 'application/json');
        res.statusCode = req.url?.includes('created') ? 201 : 200;
        res.end(JSON.stringify({ service: name, url: req.url }));
      };
      if (!options.delayMs) return respond();
      const timer = setTimeout(respond, options.delayMs);
      res.on('close', () => clearTimeout(timer));
    });
  }, 0);
  return { ...server, url: `http://127.0.0.1:${server.port}`, seen };
}

type Echo = Awaited<ReturnType<typeof echoService>>;

const publisher = 'https://news.example.com';
let auth: Echo;
let comments: Echo;
let gateway: GatewayApp;

function buildGateway(overrides: Record<string, string> = {}) {
  return createGatewayApp({
    config: loadGatewayConfig({ AUTH_URL: auth.url, COMMENTS_URL: comments.url, ...overrides }),
    logger: silentLogger(),
  });
}

beforeAll(async () => {
  auth = await echoService('auth');
  comments = await echoService('comments', { origins: [publisher] });
  gateway = buildGateway();
  await gateway.ready();
});

afterAll(async () => {
  await gateway.stop();
  await auth.close();
  await comments.close();
});

describe('routing', () => {
  it('sends /auth/* to the auth service with path, method and body unchanged', async () => {
    const response = await request(gateway.app)
      .post('/auth/login?x=1')
      .send({ email: 'a@example.com', password: 'secret-password' })
      .expect(200);
    expect(response.body).toEqual({ service: 'auth', url: '/auth/login?x=1' });
    const last = auth.seen.at(-1)!;
    expect(last.method).toBe('POST');
    expect(JSON.parse(last.body)).toEqual({ email: 'a@example.com', password: 'secret-password' });
  });

  it('sends /api/* to the comments service and passes the status through', async () => {
    const response = await request(gateway.app).post('/api/created').send({ body: 'hi' }).expect(201);
    expect(response.body.service).toBe('comments');
  });

  it('gives every request an id, passes it to the service and echoes it', async () => {
    const response = await request(gateway.app).get('/api/anything').expect(200);
    const id = response.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(comments.seen.at(-1)!.headers['x-request-id']).toBe(id);
  });

  it('keeps a well-formed incoming request id and replaces a malformed one', async () => {
    await request(gateway.app).get('/api/x').set('X-Request-Id', 'trace-12345678').expect('x-request-id', 'trace-12345678');
    const response = await request(gateway.app).get('/api/x').set('X-Request-Id', 'not an id; drop table');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('tells the service who the client is, in the one X-Forwarded-For entry services trust', async () => {
    await request(gateway.app).get('/api/whoami').set('X-Forwarded-For', '198.51.100.1').expect(200);
    expect(comments.seen.at(-1)!.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('answers 404 in the error shape for unknown paths, and never exposes /internal', async () => {
    for (const path of ['/nope', '/internal/allowed-origins']) {
      const response = await request(gateway.app).get(path).expect(404);
      expect(response.body.error).toEqual(expect.objectContaining({ code: 'route_not_found', requestId: expect.any(String) }));
    }
  });

  it('sets security headers', async () => {
    const response = await request(gateway.app).get('/api/x').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});

describe('when a service is down or slow', () => {
  it('answers 502 bad_gateway with Retry-After when the service refuses connections', async () => {
    const dead = await echoService('dead');
    await dead.close();
    const broken = buildGateway({ COMMENTS_URL: dead.url });
    const response = await request(broken.app).get('/api/sites/demo/counts?articles=a').expect(502);
    expect(response.body.error.code).toBe('bad_gateway');
    expect(response.body.error.requestId).toBe(response.headers['x-request-id']);
    expect(response.headers['retry-after']).toBe('5');
    await broken.stop();
  });

  it('answers 504 gateway_timeout when the service takes too long', async () => {
    const slow = await echoService('slow', { delayMs: 1500 });
    const impatient = buildGateway({ COMMENTS_URL: slow.url, UPSTREAM_TIMEOUT_MS: '200' });
    const response = await request(impatient.app).get('/api/slow').expect(504);
    expect(response.body.error.code).toBe('gateway_timeout');
    await impatient.stop();
    await slow.close();
  });

  it('reports not ready while a service is down, ready otherwise', async () => {
    await request(gateway.app).get('/readyz').expect(200);
    const dead = await echoService('dead');
    await dead.close();
    const broken = buildGateway({ AUTH_URL: dead.url });
    await broken.ready();
    const response = await request(broken.app).get('/readyz').expect(503);
    expect(response.body.checks).toEqual({ auth: 'failed', comments: 'ok' });
    await request(broken.app).get('/healthz').expect(200);
    await broken.stop();
  });
});

describe('CORS', () => {
  it("lets a site's allowed origin call the API and read the request id", async () => {
    const response = await request(gateway.app).get('/api/x').set('Origin', publisher).expect(200);
    expect(response.headers['access-control-allow-origin']).toBe(publisher);
    expect(response.headers['access-control-expose-headers']).toContain('X-Request-Id');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('answers an allowed preflight without bothering the service', async () => {
    const before = comments.seen.length;
    const response = await request(gateway.app)
      .options('/api/sites/demo/articles/a/comments')
      .set('Origin', publisher)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type')
      .expect(204);
    expect(response.headers['access-control-allow-methods']).toContain('POST');
    expect(response.headers['access-control-allow-headers']).toContain('Authorization');
    expect(comments.seen.length).toBe(before);
  });

  it('refuses a preflight from an unlisted origin and never echoes it', async () => {
    const response = await request(gateway.app)
      .options('/api/x')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST')
      .expect(403);
    expect(response.body.error.code).toBe('origin_not_allowed');
    const simple = await request(gateway.app).get('/api/x').set('Origin', 'https://evil.example').expect(200);
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a client spends its budget, readable cross-origin', async () => {
    const strict = buildGateway({ GATEWAY_RATE_LIMIT: '3', GATEWAY_RATE_WINDOW_SECONDS: '60' });
    await strict.ready();
    for (let i = 0; i < 3; i++) await request(strict.app).get('/api/x').expect(200);
    const before = comments.seen.length;
    const response = await request(strict.app).get('/api/x').set('Origin', publisher).expect(429);
    expect(response.body.error.code).toBe('rate_limited');
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(response.headers['access-control-allow-origin']).toBe(publisher);
    expect(comments.seen.length).toBe(before);
    await strict.stop();
  });
});

describe('metrics', () => {
  it('serves Prometheus metrics on the metrics listener, with proxied routes labelled by their mount point', async () => {
    await request(gateway.app).get('/api/anything').expect(200);
    const listener = await listenMetrics([gateway.metrics], 0);
    try {
      const response = await fetch(`http://127.0.0.1:${listener.port}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/api\/\*",status="200"/);
      expect(text).toContain('live_connections{service="gateway"} 0');
    } finally {
      await listener.close();
    }
  });

  it('answers /metrics on the public app with 404, whatever the caller claims to be', async () => {
    await request(gateway.app).get('/metrics').expect(404);
    await request(gateway.app).get('/metrics').set('X-Forwarded-For', '10.0.0.1').expect(404);
  });
});

describe('several comments nodes', () => {
  it('spreads requests over the nodes and keeps answering when one goes away, bodies included', async () => {
    const one = await echoService('comments-1', { origins: [publisher] });
    const two = await echoService('comments-2', { origins: [publisher] });
    const balanced = buildGateway({ COMMENTS_URLS: `${one.url},${two.url}` });
    await balanced.ready();
    try {
      const served = new Set<string>();
      for (let i = 0; i < 6; i++) served.add((await request(balanced.app).get('/api/spread').expect(200)).body.service);
      expect(served).toEqual(new Set(['comments-1', 'comments-2']));

      await one.close();
      for (let i = 0; i < 6; i++) {
        const posted = await request(balanced.app).post('/api/created').send({ body: `after the loss ${i}` }).expect(201);
        expect(posted.body.service).toBe('comments-2');
        expect(JSON.parse(two.seen.at(-1)!.body)).toEqual({ body: `after the loss ${i}` });
      }
      await request(balanced.app).get('/api/still-here').expect(200);
      await balanced.ready();
      expect((await request(balanced.app).get('/readyz').expect(200)).body.checks).toEqual({ auth: 'ok', comments: 'ok' });

      await two.close();
      const none = await request(balanced.app).get('/api/anyone').expect(502);
      expect(none.body.error.code).toBe('bad_gateway');
    } finally {
      await balanced.stop();
    }
  });
});
