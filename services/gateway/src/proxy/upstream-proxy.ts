import http from 'node:http';
import { Readable, type Duplex } from 'node:stream';
import type { Request, RequestHandler } from 'express';
import httpProxy from 'http-proxy';
import { AppError, payloadTooLarge, sendError } from '@parley/platform';
import type { UpstreamPool } from './upstream-pool';

export interface UpstreamProxy {
  /**
   * Express handler that forwards the request, unchanged in path and body, to a node of `pool`.
   * A node that refuses the connection (the request never reached it) is marked down and the
   * request goes to the next node, so losing one node fails nothing another node can serve.
   */
  to(pool: UpstreamPool): RequestHandler;
  /** Forwards a WebSocket upgrade (the live stream) to a node of `pool`; failure closes the socket with 502. */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, pool: UpstreamPool, requestId: string): void;
  close(): void;
}

/** Bodies are buffered (they are small JSON) so a request refused by one node can be replayed on another. */
const maxBufferedBody = 1024 * 1024;
const refusedBeforeSending = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export interface UpstreamProxyOptions {
  timeoutMs: number;
  /** X-Forwarded-For and -Proto for a request, as the gateway judged them (see client-address.ts). */
  forwardedHeaders(req: http.IncomingMessage): Record<'x-forwarded-for' | 'x-forwarded-proto', string>;
}

/** Forwarding headers a client might send that only the gateway may set for the services. */
const clientForwardingHeaders = ['forwarded', 'x-forwarded-host', 'x-forwarded-port'];

/**
 * Streams requests to a service over pooled keep-alive connections. The request id travels in
 * X-Request-Id and the client address in X-Forwarded-For: the services trust exactly one hop, the
 * gateway, so the header is replaced (never appended to) with the address the gateway counted. A
 * service that refuses the connection answers 502 `bad_gateway`; one that takes longer than
 * `timeoutMs` answers 504 `gateway_timeout`, both in the contract's error shape.
 */
export function createUpstreamProxy({ timeoutMs, forwardedHeaders }: UpstreamProxyOptions): UpstreamProxy {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 });
  // No `xfwd`: http-proxy would append the peer to whatever X-Forwarded-For the client sent.
  const proxy = httpProxy.createProxyServer({ agent, proxyTimeout: timeoutMs });
  // WebSockets are long-lived and each needs its own upstream socket, so no pooling for them.
  const wsProxy = httpProxy.createProxyServer({ ws: true });
  const timedOut = new WeakSet<http.IncomingMessage>();
  const forward = (proxyReq: http.ClientRequest, req: http.IncomingMessage) => {
    for (const name of clientForwardingHeaders) proxyReq.removeHeader(name);
    for (const [name, value] of Object.entries(forwardedHeaders(req))) proxyReq.setHeader(name, value);
  };
  wsProxy.on('proxyReqWs', forward);

  proxy.on('proxyReq', (proxyReq, req) => {
    forward(proxyReq, req);
    proxyReq.setHeader('X-Request-Id', (req as Request).id);
    // Our own timer, so a slow service is told apart from a refused connection.
    proxyReq.setTimeout(timeoutMs, () => {
      timedOut.add(req);
      proxyReq.destroy(new Error('upstream timed out'));
    });
  });

  return {
    to(pool) {
      return async (req, res) => {
        // Mounted under /auth or /api, express strips the prefix; services expect the full path.
        req.url = req.originalUrl;
        let body: Buffer | undefined;
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          try {
            body = await readBody(req);
          } catch {
            sendError(res, payloadTooLarge('1 MB'), req.id);
            return;
          }
        }
        const tried = new Set<string>();
        const attempt = () => {
          const target = pool.pick(tried);
          if (!target) return fail(false);
          tried.add(target);
          proxy.web(req, res, { target, ...(body ? { buffer: Readable.from([body]) } : {}) }, (error: NodeJS.ErrnoException) => {
            const timeout = timedOut.has(req);
            req.log.warn({ target, err: error.message, code: error.code, timeout }, 'upstream failed');
            if (!timeout && error.code && refusedBeforeSending.has(error.code)) {
              pool.markDown(target, error.code);
              if (!res.headersSent) return attempt();
            }
            fail(timeout);
          });
        };
        const fail = (timeout: boolean) => {
          if (res.headersSent) {
            res.destroy();
            return;
          }
          const appError = timeout
            ? new AppError(504, 'gateway_timeout', 'The service took too long to answer; try again.')
            : new AppError(502, 'bad_gateway', 'The service is unavailable right now; try again shortly.', undefined, {
                'Retry-After': '5',
              });
          sendError(res, appError, req.id);
        };
        attempt();
      };
    },
    upgrade(req, socket, head, pool, requestId) {
      req.headers['x-request-id'] = requestId;
      socket.on('error', () => socket.destroy());
      const target = pool.pick();
      if (!target) {
        socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wsProxy.ws(req, socket, head, { target }, (error: NodeJS.ErrnoException) => {
        if (error.code && refusedBeforeSending.has(error.code)) pool.markDown(target, error.code);
        if (socket.writable) socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        socket.destroy();
      });
    },
    close() {
      wsProxy.close();
      proxy.close();
      agent.destroy();
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBufferedBody) {
        req.removeAllListeners('data');
        reject(new Error('too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
