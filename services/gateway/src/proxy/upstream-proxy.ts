import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Request, RequestHandler } from 'express';
import httpProxy from 'http-proxy';
import { AppError, sendError } from '@parley/platform';

export interface UpstreamProxy {
  /** Express handler that forwards the request, unchanged in path and body, to `target`. */
  to(target: string): RequestHandler;
  /** Forwards a WebSocket upgrade (the live stream) to `target`; a refused upstream closes the socket with 502. */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, target: string, requestId: string): void;
  close(): void;
}

/**
 * Streams requests to a service over pooled keep-alive connections. The request id travels in
 * X-Request-Id and the client address in X-Forwarded-For. A service that refuses the connection
 * answers 502 `bad_gateway`; one that takes longer than `timeoutMs` answers 504 `gateway_timeout`,
 * both in the contract's error shape.
 */
export function createUpstreamProxy({ timeoutMs }: { timeoutMs: number }): UpstreamProxy {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 });
  const proxy = httpProxy.createProxyServer({ agent, xfwd: true, proxyTimeout: timeoutMs });
  // WebSockets are long-lived and each needs its own upstream socket, so no pooling for them.
  const wsProxy = httpProxy.createProxyServer({ xfwd: true, ws: true });
  const timedOut = new WeakSet<http.IncomingMessage>();

  proxy.on('proxyReq', (proxyReq, req) => {
    proxyReq.setHeader('X-Request-Id', (req as Request).id);
    // Our own timer, so a slow service is told apart from a refused connection.
    proxyReq.setTimeout(timeoutMs, () => {
      timedOut.add(req);
      proxyReq.destroy(new Error('upstream timed out'));
    });
  });

  return {
    to(target) {
      return (req, res) => {
        // Mounted under /auth or /api, express strips the prefix; services expect the full path.
        req.url = req.originalUrl;
        proxy.web(req, res, { target }, (error) => {
          const timeout = timedOut.has(req);
          req.log.warn({ target, err: error.message, timeout }, 'upstream failed');
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
        });
      };
    },
    upgrade(req, socket, head, target, requestId) {
      req.headers['x-request-id'] = requestId;
      socket.on('error', () => socket.destroy());
      wsProxy.ws(req, socket, head, { target }, () => {
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
