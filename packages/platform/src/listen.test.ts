import http from 'node:http';
import net from 'node:net';
import { listen } from './http';

/**
 * A client that opens a connection and then dribbles (or stops) can't hold a server's socket for
 * minutes: every server Parley starts cuts a request whose headers, or whole body, are late.
 */
interface Ending {
  /** What the server wrote before the connection ended (a 408, or nothing). */
  received: string;
  ms: number;
}

/** Sends `bytes`, then nothing more, and reports how the server ends the connection. */
function stall(port: number, bytes: string): Promise<Ending> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let received = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve({ received, ms: Date.now() - started }));
    // Bound the test: a server that never cuts the client fails here instead of hanging.
    socket.setTimeout(5000, () => {
      socket.destroy();
      reject(new Error('the server kept a stalled connection open'));
    });
  });
}

const okHandler = (_req: http.IncomingMessage, res: http.ServerResponse) => void res.end('ok');

it('cuts a client that sends half a request line and stalls, within the headers timeout', async () => {
  const server = await listen(okHandler, 0, '127.0.0.1', { headersTimeoutMs: 300, requestTimeoutMs: 1000 });
  try {
    const ending = await stall(server.port, 'GET /slow HT');
    expect(ending.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(ending.ms).toBeLessThan(1000);
  } finally {
    await server.close();
  }
});

it('cuts a client whose body never finishes, within the request timeout', async () => {
  let reached = false;
  const server = await listen(
    (req, res) => {
      reached = true;
      req.resume();
      req.on('end', () => res.end('ok'));
    },
    0,
    '127.0.0.1',
    { headersTimeoutMs: 200, requestTimeoutMs: 600 },
  );
  try {
    const ending = await stall(server.port, 'POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly a little');
    expect(reached).toBe(true);
    expect(ending.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(ending.ms).toBeGreaterThanOrEqual(500);
    expect(ending.ms).toBeLessThan(1500);
  } finally {
    await server.close();
  }
});

it('keeps an idle keep-alive connection past the headers timeout (that is keepAliveTimeout’s job)', async () => {
  const server = await listen(okHandler, 0, '127.0.0.1', { headersTimeoutMs: 200, requestTimeoutMs: 400 });
  const socket = net.connect(server.port, '127.0.0.1');
  try {
    socket.setEncoding('utf8');
    const answer = (request: string) =>
      new Promise<string>((resolve, reject) => {
        socket.once('data', resolve);
        socket.once('error', reject);
        socket.write(request);
      });
    expect(await answer('GET /one HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 /);
    // Idle for longer than both timeouts: the server checks every 50-100 ms, so a wrong cut would show.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await answer('GET /two HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 /);
  } finally {
    socket.destroy();
    await server.close();
  }
});

it('keeps the defaults at 10 s for headers and 30 s for the whole request', async () => {
  const server = await listen(okHandler, 0);
  try {
    expect(server.server.headersTimeout).toBe(10_000);
    expect(server.server.requestTimeout).toBe(30_000);
    expect(server.server.keepAliveTimeout).toBe(65_000);
  } finally {
    await server.close();
  }
});

it('builds an express app\'s requests and responses with its own prototypes, so express works unchanged', async () => {
  const express = (await import('express')).default;
  const app = express();
  const seen: boolean[] = [];
  app.get('/hello', (req, res) => {
    res.json({ name: req.query.name, ip: req.ip });
  });
  const server = await listen(app, 0);
  // What the server built, before express's own handling touched it.
  server.server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    seen.push(Object.getPrototypeOf(req) === app.request, Object.getPrototypeOf(res) === app.response);
  });
  try {
    const response = await fetch(`http://127.0.0.1:${server.port}/hello?name=ada`);
    expect(await response.json()).toEqual({ name: 'ada', ip: '127.0.0.1' });
    expect(seen).toEqual([true, true]);
  } finally {
    await server.close();
  }
});

it('closes although a keep-alive connection goes idle only after the close began (a poll in flight)', async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const server = await listen((_req, res) => void held.then(() => res.end('done')), 0);
  const agent = new http.Agent({ keepAlive: true });
  const answered = new Promise<string>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, agent }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += String(chunk)));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const closed = server.close();
  // The request finishes after close() began; its connection is then idle, and the server must not wait 65 s for it.
  release();
  expect(await answered).toBe('done');
  await closed;
  agent.destroy();
});
