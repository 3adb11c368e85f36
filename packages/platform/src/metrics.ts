import net from 'node:net';
import express, { type Request, type RequestHandler } from 'express';
import client from 'prom-client';

export type { Registry } from 'prom-client';

/**
 * Prometheus metrics of one service: the process defaults, HTTP latency by route and status, and
 * whatever gauges the service adds. One registry per app, so several apps in one process (the
 * embedded launcher, tests) never mix their numbers.
 */
export interface Metrics {
  registry: client.Registry;
  /** Times every request; label `route` is the matched route pattern, never the raw path. */
  httpMetrics: RequestHandler;
  /** `GET /metrics` in the Prometheus text format, for scrapers on the private network only. */
  routes: express.Router;
  gauge(name: string, help: string, collect: () => number | undefined): void;
  counter(name: string, help: string, labelNames?: string[]): client.Counter;
}

export function createMetrics(service: string): Metrics {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry });
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });

  const routes = express.Router();
  routes.get('/metrics', async (req, res, next) => {
    // Scrapers sit on the private network; the public never gets here (X-Forwarded-For can't fake it).
    if (!isPrivateAddress(req.socket.remoteAddress)) return next();
    res.setHeader('Content-Type', registry.contentType);
    res.end(await registry.metrics());
  });

  return {
    registry,
    routes,
    httpMetrics(req, res, next) {
      const stop = duration.startTimer();
      res.on('finish', () => stop({ method: req.method, route: routeLabel(req), status: String(res.statusCode) }));
      next();
    },
    gauge(name, help, collect) {
      new client.Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          const value = collect();
          if (value !== undefined) this.set(value);
        },
      });
    },
    counter(name, help, labelNames = []) {
      return new client.Counter({ name, help, labelNames, registers: [registry] });
    },
  };
}

/** The route pattern (`/api/comments/:id`), or the mount point for proxied paths, so labels stay few. */
function routeLabel(req: Request): string {
  if (req.route?.path) return `${req.baseUrl}${String(req.route.path)}`;
  if (req.baseUrl) return `${req.baseUrl}/*`;
  return 'unmatched';
}

export function isPrivateAddress(address: string | undefined): boolean {
  if (!address) return false;
  const ip = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (ip === '::1' || ip.startsWith('127.')) return true;
  if (net.isIPv4(ip)) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  return ip.toLowerCase().startsWith('fc') || ip.toLowerCase().startsWith('fd');
}
