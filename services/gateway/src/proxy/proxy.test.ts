import http from 'node:http';
import zlib from 'node:zlib';
import { listen, silentLogger } from '@parley/platform';
import { createGatewayApp, type GatewayApp } from '../app';
import { loadGatewayConfig } from '../config';
import { accepted, codingFor, mergeVary } from './compression';

/**
 * How the gateway carries answers back: streamed as they come, over kept-alive upstream
 * connections, the service's own compression passed through untouched, text the service sent as it
 * is compressed here when the client allows it, and Vary naming what both sides vary on.
 */
const publisher = 'https://news.example.com';
const json = JSON.stringify({ comments: Array.from({ length: 60 }, (_, i) => ({ id: i, body: 'the ferry timetable changed again' })) });
const preCompressed = zlib.brotliCompressSync(Buffer.from(json));

let upstreamConnections = 0;
let releaseStream: (() => void) | undefined;
const upstream = http.createServer((req, res) => {
  const path = (req.url ?? '').split('?')[0];
  if (path === '/internal/allowed-origins') return void res.setHeader('content-type', 'application/json').end(JSON.stringify({ origins: [publisher] }));
  if (path === '/readyz') return void res.end('{"status":"ok"}');
  if (path === '/api/big') {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), etag: '"v1"', vary: 'Authorization' });
    return void res.end(json);
  }
  if (path === '/api/already-br') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br', 'content-length': preCompressed.length, vary: 'Accept-Encoding' });
    return void res.end(preCompressed);
  }
  if (path === '/api/small') return void res.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 }).end('{"ok":true}');
  if (path === '/api/png') return void res.writeHead(200, { 'content-type': 'image/png', 'content-length': json.length }).end(json);
  if (/^\/api\/admin\/sites\/[^/]+\/imports$/.test(path ?? '')) {
    // Answers as soon as the first bytes are here: only a body streamed through can be answered before it ends.
    let received = 0;
    req.once('data', (chunk: Buffer) => {
      received += chunk.length;
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ firstBytes: received, length: req.headers['content-length'] ?? null }));
    });
    return;
  }
  if (path === '/api/stream') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('first part;');
    releaseStream = () => res.end('second part');
    return;
  }
  res.writeHead(404).end();
});
upstream.on('connection', () => (upstreamConnections += 1));

let gateway: GatewayApp;
let server: Awaited<ReturnType<typeof listen>>;
beforeAll(async () => {
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
  gateway = createGatewayApp({ config: loadGatewayConfig({ AUTH_URL: url, COMMENTS_URL: url }), logger: silentLogger() });
  await gateway.ready();
  server = await listen(gateway.app, 0);
});
afterAll(async () => {
  await gateway.stop();
  await server.close();
  await new Promise((resolve) => upstream.close(resolve));
});

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path, headers, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('answers through the gateway', () => {
  it('compresses text the service sent as it is, as the client allows, and says so in Vary and a weak ETag', async () => {
    const br = await get('/api/big', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers).toMatchObject({ 'content-encoding': 'br', etag: 'W/"v1"', vary: 'Origin, Authorization, Accept-Encoding' });
    expect(br.headers['content-length']).toBeUndefined();
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(json);
    const gzip = await get('/api/big', { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gzip.body).toString()).toBe(json);
    const plain = await get('/api/big');
    expect(plain.headers).toMatchObject({ etag: '"v1"', 'content-length': String(Buffer.byteLength(json)) });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(json);
  });

  it('passes the service\'s own compression through byte for byte, and leaves small or binary answers alone', async () => {
    const passed = await get('/api/already-br', { 'accept-encoding': 'br' });
    expect(passed.headers).toMatchObject({ 'content-encoding': 'br', 'content-length': String(preCompressed.length) });
    expect(passed.body.equals(preCompressed)).toBe(true);
    expect((await get('/api/small', { 'accept-encoding': 'br' })).headers['content-encoding']).toBeUndefined();
    expect((await get('/api/png', { 'accept-encoding': 'br' })).headers['content-encoding']).toBeUndefined();
    const head = await get('/api/big', { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.headers['content-encoding']).toBeUndefined();
    expect(head.body.length).toBe(0);
  });

  it('keeps CORS\'s Vary: Origin beside the service\'s own', async () => {
    const answer = await get('/api/already-br', { origin: publisher, 'accept-encoding': 'br' });
    expect(answer.headers['access-control-allow-origin']).toBe(publisher);
    expect(answer.headers.vary).toBe('Origin, Accept-Encoding');
  });

  it('streams an answer as it comes instead of waiting for the end of it', async () => {
    const seen: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: server.port, path: '/api/stream' }, (res) => {
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            seen.push(chunk);
            // The service finishes only once the first part has reached the client.
            if (seen.length === 1) releaseStream?.();
          });
          res.on('end', resolve);
        })
        .on('error', reject);
    });
    await done;
    expect(seen.join('')).toBe('first part;second part');
    expect(seen[0]).toBe('first part;');
  });

  it('keeps upstream connections alive between requests', async () => {
    await get('/api/small');
    const before = upstreamConnections;
    for (let i = 0; i < 10; i++) await get('/api/small');
    expect(upstreamConnections).toBe(before);
  });
});

describe('bodies', () => {
  const post = (path: string, first: Buffer, rest: Buffer, waitForAnswer: boolean) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, path, method: 'POST', agent: false, headers: { 'content-type': 'application/octet-stream', 'content-length': first.length + rest.length } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => {
          resolve({ status: res.statusCode!, body });
          req.end(rest);
        });
      });
      req.on('error', reject);
      req.write(first);
      if (!waitForAnswer) req.end(rest);
    });

  it('streams a console import upload through to the service as it arrives, past the 1 MB other bodies get', async () => {
    const first = Buffer.alloc(64 * 1024, 'a');
    // The rest is sent only once the service answered: a gateway that waited for the whole body would never answer.
    const answer = await post('/api/admin/sites/gazette/imports?format=disqus', first, Buffer.alloc(2 * 1024 * 1024, 'b'), true);
    expect(answer.status).toBe(202);
    expect(JSON.parse(answer.body)).toEqual({ firstBytes: expect.any(Number), length: String(first.length + 2 * 1024 * 1024) });
  });

  it('still refuses any other body over 1 MB', async () => {
    const answer = await post('/api/sites/gazette/articles/a/comments', Buffer.alloc(1024), Buffer.alloc(2 * 1024 * 1024, 'b'), false);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe('payload_too_large');
  });
});

describe('compression decisions', () => {
  it('reads Accept-Encoding weights', () => {
    expect(accepted('gzip, deflate, br')).toBe('br');
    expect(accepted('br;q=0.2, gzip')).toBe('gzip');
    expect(accepted('br;q=0, gzip;q=0')).toBeUndefined();
    expect(accepted('*')).toBe('br');
    expect(accepted(undefined)).toBeUndefined();
  });

  it('compresses only uncompressed text bodies worth it', () => {
    const text = { 'content-type': 'application/json', 'content-length': '5000' };
    const request = { method: 'GET', acceptEncoding: 'br' };
    expect(codingFor(request, 200, text, 1024)).toBe('br');
    expect(codingFor(request, 200, { ...text, 'content-encoding': 'gzip' }, 1024)).toBeUndefined();
    expect(codingFor(request, 200, { ...text, 'cache-control': 'public, no-transform' }, 1024)).toBeUndefined();
    expect(codingFor(request, 200, { 'content-type': 'text/html' }, 1024)).toBe('br');
    expect(codingFor(request, 304, text, 1024)).toBeUndefined();
    expect(codingFor(request, 200, text, 0)).toBeUndefined();
    expect(codingFor({ method: 'GET' }, 200, text, 1024)).toBeUndefined();
  });

  it('merges Vary lists once each', () => {
    expect(mergeVary('Origin', 'Accept-Encoding, authorization', 'accept-encoding')).toBe('Origin, Accept-Encoding, authorization');
    expect(mergeVary(undefined, undefined)).toBeUndefined();
    expect(mergeVary('Origin', '*')).toBe('*');
  });
});
