import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Request, RequestHandler, Response } from 'express';
import httpProxy from 'http-proxy';
import { AppError, payloadTooLarge, sendError } from '@parley/platform';
import { codingFor, compressor, mergeVary } from './compression';
import type { UpstreamPool } from './upstream-pool';

export interface UpstreamProxy {
  /**
   * Express handler that forwards the request, unchanged in path and body, to a node of `pool`.
   * A node that refuses the connection (the request never reached it) is marked down and the
   * request goes to the next node, so losing one node fails nothing another node can serve.
   */
  to(pool: UpstreamPool, options?: { streamBody?: (req: Request) => boolean }): RequestHandler;
  /** Forwards a WebSocket upgrade (the live stream) to a node of `pool`; failure closes the socket with 502. */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, pool: UpstreamPool, requestId: string): void;
  close(): void;
}

/**
 * Bodies of writes are buffered (they are small JSON) so a request refused by one node can be
 * replayed on another; those `streamBody` picks (an export file uploaded to the console) are
 * streamed to one node as they arrive, never held here, and their limit is the service's.
 */
const maxBufferedBody = 1024 * 1024;
const refusedBeforeSending = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export interface UpstreamProxyOptions {
  timeoutMs: number;
  /** X-Forwarded-For and -Proto for a request, as the gateway judged them (see client-address.ts). */
  forwardedHeaders(req: http.IncomingMessage): Record<'x-forwarded-for' | 'x-forwarded-proto', string>;
  /** Text answers at least this long that the service sent uncompressed are compressed here; 0: never. */
  compressMinBytes?: number;
}

/** Forwarding headers a client might send that only the gateway may set for the services. */
const clientForwardingHeaders = ['forwarded', 'x-forwarded-host', 'x-forwarded-port'];
/** Hop-by-hop headers (RFC 9110 §7.6.1): about one connection, never forwarded. */
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * Streams requests to a service over pooled keep-alive connections, and answers back as they
 * arrive (nothing is buffered on the way out). The request id travels in X-Request-Id and the
 * client address in X-Forwarded-For: the services trust exactly one hop, the gateway, so the header
 * is replaced (never appended to) with the address the gateway counted. An answer the service
 * compressed passes through untouched; a text one it sent as is, the gateway compresses when the
 * client allows it. A service that refuses the connection answers 502 `bad_gateway`; one that takes
 * longer than `timeoutMs` answers 504 `gateway_timeout`, both in the contract's error shape.
 */
export function createUpstreamProxy({ timeoutMs, forwardedHeaders, compressMinBytes = 1024 }: UpstreamProxyOptions): UpstreamProxy {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000, scheduling: 'lifo' });
  // WebSockets are long-lived and each needs its own upstream socket, so no pooling for them.
  const wsProxy = httpProxy.createProxyServer({ ws: true });
  wsProxy.on('proxyReqWs', (proxyReq, req) => {
    for (const name of clientForwardingHeaders) proxyReq.removeHeader(name);
    for (const [name, value] of Object.entries(forwardedHeaders(req))) proxyReq.setHeader(name, value);
  });
  const targets = new Map<string, URL>();
  const targetUrl = (target: string) => {
    let url = targets.get(target);
    if (!url) targets.set(target, (url = new URL(target)));
    return url;
  };

  function upstreamHeaders(req: Request, body: Buffer | undefined): http.OutgoingHttpHeaders {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || hopByHop.has(name) || clientForwardingHeaders.includes(name)) continue;
      headers[name] = value;
    }
    Object.assign(headers, forwardedHeaders(req));
    headers['x-request-id'] = req.id;
    if (body) headers['content-length'] = body.length;
    return headers;
  }

  /** Copies the service's answer onto `res`, merging Vary with what the gateway set (CORS: Origin), compressing where it pays. */
  function respond(req: Request, res: Response, answer: http.IncomingMessage): void {
    // A service that dies mid-answer: the client must see a cut, never a short body that looks whole.
    answer.once('error', () => res.destroy());
    answer.once('aborted', () => res.destroy());
    const status = answer.statusCode ?? 502;
    const coding = codingFor({ method: req.method, acceptEncoding: req.headers['accept-encoding'] }, status, answer.headers, compressMinBytes);
    // One writeHead with the service's headers over those the gateway set (request id, security, CORS).
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !hopByHop.has(name)) headers[name] = value;
    }
    const vary = mergeVary(res.getHeader('vary'), answer.headers.vary, coding ? 'Accept-Encoding' : undefined);
    if (vary) headers.vary = vary;
    if (!coding) {
      res.writeHead(status, headers);
      answer.pipe(res);
      return;
    }
    delete headers['content-length'];
    headers['content-encoding'] = coding;
    // Another byte sequence than the service's: a strong validator would now lie.
    const etag = answer.headers.etag;
    if (etag && !etag.startsWith('W/')) headers.etag = `W/${etag}`;
    res.writeHead(status, headers);
    const zip = compressor(coding);
    zip.on('error', () => res.destroy());
    answer.pipe(zip).pipe(res);
  }

  return {
    to(pool, options = {}) {
      return async (req, res) => {
        // Mounted under /auth or /api, express strips the prefix; services expect the full path.
        req.url = req.originalUrl;
        let body: Buffer | undefined;
        const streamed = options.streamBody?.(req) ?? false;
        if (req.method !== 'GET' && req.method !== 'HEAD' && !streamed) {
          try {
            body = await readBody(req);
          } catch {
            sendError(res, payloadTooLarge('1 MB'), req.id);
            return;
          }
        }
        const tried = new Set<string>();
        const headers = upstreamHeaders(req, body);
        const attempt = (retryingReused = false) => {
          const target = retryingReused ? [...tried].at(-1) : pool.pick(tried);
          if (!target) return fail(false);
          tried.add(target);
          const url = targetUrl(target);
          let timedOut = false;
          const upstream = http.request({ agent, host: url.hostname, port: url.port, method: req.method, path: req.url, headers });
          upstream.setTimeout(timeoutMs, () => {
            timedOut = true;
            upstream.destroy(new Error('upstream timed out'));
          });
          upstream.on('response', (answer) => {
            // The client went away: stop reading what it will never get.
            res.once('close', () => {
              if (!res.writableFinished) answer.destroy();
            });
            respond(req, res, answer);
          });
          upstream.on('error', (error: NodeJS.ErrnoException) => {
            if (res.headersSent) return void res.destroy();
            if (streamed) {
              // Part of the body may be gone to this node: nothing to replay elsewhere.
              req.unpipe(upstream);
              req.resume();
              req.log.warn({ target, err: error.message, code: error.code, timeout: timedOut }, 'upstream failed');
              if (!timedOut && error.code && refusedBeforeSending.has(error.code)) pool.markDown(target, error.code);
              return fail(timedOut);
            }
            // A kept-alive connection the service had just closed: the request never reached it.
            if (upstream.reusedSocket && error.code === 'ECONNRESET' && !retryingReused && (req.method === 'GET' || req.method === 'HEAD')) {
              return attempt(true);
            }
            req.log.warn({ target, err: error.message, code: error.code, timeout: timedOut }, 'upstream failed');
            if (!timedOut && error.code && refusedBeforeSending.has(error.code)) {
              pool.markDown(target, error.code);
              return attempt();
            }
            fail(timedOut);
          });
          if (streamed) req.pipe(upstream);
          else upstream.end(body);
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
