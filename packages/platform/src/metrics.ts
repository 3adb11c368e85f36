import type http from 'node:http';
import type { Request, RequestHandler } from 'express';
import client from 'prom-client';
import { listen, type HttpListener, type ListenOptions } from './http';

export type { Registry } from 'prom-client';

/**
 * Prometheus metrics of one service: the process defaults, HTTP latency by route and status, and
 * whatever gauges the service adds. One registry per app, so several apps in one process (the
 * embedded launcher, tests) never mix their numbers. The registry is served by `listenMetrics`
 * on a listener of its own, never by the public app.
 */
export interface Metrics {
  registry: client.Registry;
  /** Times every request; label `route` is the matched route pattern, never the raw path. */
  httpMetrics: RequestHandler;
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

  return {
    registry,
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

/**
 * `GET /metrics` for a process's registries, and nothing else. It is its own listener
 * (METRICS_HOST:METRICS_PORT, 127.0.0.1 by default) because no check on the public listener can
 * tell a scraper from the public: behind a TLS terminator every peer is a private address.
 */
export function metricsHandler(registries: client.Registry[]): http.RequestListener {
  return (req, res) => {
    if ((req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found; metrics are at /metrics.\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    exposition(registries).then(
      (text) => res.writeHead(200, { 'Content-Type': registries[0]?.contentType ?? client.register.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  };
}

/** Starts the metrics listener for `registries` (one per service running in this process). */
export function listenMetrics(
  registries: client.Registry[],
  port: number,
  host = '127.0.0.1',
  options: ListenOptions = {},
): Promise<HttpListener> {
  return listen(metricsHandler(registries), port, host, options);
}

/**
 * The registries as one text exposition. Services in one process (the embedded stack) share
 * metric names, and the format allows each family only once, so families are merged: the first
 * registry's HELP and TYPE, then every registry's samples (told apart by their `service` label).
 */
async function exposition(registries: client.Registry[]): Promise<string> {
  if (registries.length === 1) return registries[0]!.metrics();
  const families = new Map<string, string[]>();
  for (const text of await Promise.all(registries.map((registry) => registry.metrics()))) {
    let family: string[] = [];
    let known = false;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const help = /^# HELP (\S+)/.exec(line);
      if (help) {
        const name = help[1]!;
        known = families.has(name);
        family = families.get(name) ?? [line];
        families.set(name, family);
        continue;
      }
      if (line.startsWith('# TYPE ') && known) continue;
      family.push(line);
    }
  }
  return `${[...families.values()].map((lines) => lines.join('\n')).join('\n')}\n`;
}
