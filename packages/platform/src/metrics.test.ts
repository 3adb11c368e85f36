import express from 'express';
import request from 'supertest';
import { createMetrics, listenMetrics, type Registry } from './metrics';

/** Scrapes `registries` the way Prometheus does: over their own listener, never the public app. */
async function scrape(registries: Registry[]): Promise<{ status: number; text: string; contentType: string | null }> {
  const listener = await listenMetrics(registries, 0);
  try {
    const response = await fetch(`http://127.0.0.1:${listener.port}/metrics`);
    return { status: response.status, text: await response.text(), contentType: response.headers.get('content-type') };
  } finally {
    await listener.close();
  }
}

describe('metrics', () => {
  it('records latency by route pattern and status, not by raw path', async () => {
    const metrics = createMetrics('test');
    const app = express();
    app.use(metrics.httpMetrics);
    const things = express.Router();
    things.get('/things/:id', (_req, res) => void res.status(200).json({}));
    app.use('/api', things);
    await request(app).get('/api/things/1').expect(200);
    await request(app).get('/api/things/2').expect(200);
    await request(app).get('/nowhere').expect(404);

    const { status, text, contentType } = await scrape([metrics.registry]);
    expect(status).toBe(200);
    expect(contentType).toBe(metrics.registry.contentType);
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*method="GET",route="\/api\/things\/:id",status="200"[^}]*\} 2/);
    expect(text).toMatch(/route="unmatched",status="404"/);
    expect(text).toContain('service="test"');
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('reports gauges from their collect functions', async () => {
    const metrics = createMetrics('test');
    let open = 7;
    metrics.gauge('widgets_open', 'Widgets open', () => open);
    expect((await scrape([metrics.registry])).text).toMatch(/widgets_open\{service="test"\} 7/);
    open = 3;
    expect((await scrape([metrics.registry])).text).toMatch(/widgets_open\{service="test"\} 3/);
  });

  it('answers only GET /metrics on its listener, and the public app has no /metrics at all', async () => {
    const metrics = createMetrics('test');
    const app = express();
    app.use(metrics.httpMetrics);
    await request(app).get('/metrics').expect(404);

    const listener = await listenMetrics([metrics.registry], 0);
    try {
      const base = `http://127.0.0.1:${listener.port}`;
      expect((await fetch(`${base}/`)).status).toBe(404);
      expect((await fetch(`${base}/metrics/extra`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
      expect((await fetch(`${base}/metrics?name[]=x`)).status).toBe(200);
    } finally {
      await listener.close();
    }
  });

  it('serves several services of one process as one exposition: each family once, every service’s series in it', async () => {
    const gateway = createMetrics('gateway');
    const auth = createMetrics('auth');
    gateway.counter('logins_seen_total', 'Logins seen').inc(2);
    auth.counter('logins_seen_total', 'Logins seen').inc(5);
    auth.gauge('db_pool_idle', 'Idle connections', () => 4);

    const { text } = await scrape([gateway.registry, auth.registry]);
    expect(text.match(/^# HELP logins_seen_total /gm)).toHaveLength(1);
    expect(text.match(/^# TYPE logins_seen_total counter$/gm)).toHaveLength(1);
    expect(text.match(/^# TYPE http_request_duration_seconds histogram$/gm)).toHaveLength(1);
    expect(text).toContain('logins_seen_total{service="gateway"} 2');
    expect(text).toContain('logins_seen_total{service="auth"} 5');
    expect(text).toContain('db_pool_idle{service="auth"} 4');
    // A family's lines stay together: the auth sample follows the gateway one, before the next family.
    const lines = text.split('\n');
    const at = (line: string) => lines.indexOf(line);
    expect(at('logins_seen_total{service="auth"} 5')).toBe(at('logins_seen_total{service="gateway"} 2') + 1);
  });

  it('listens on 127.0.0.1 unless told otherwise', async () => {
    const listener = await listenMetrics([createMetrics('test').registry], 0);
    try {
      expect(listener.server.address()).toEqual(expect.objectContaining({ address: '127.0.0.1' }));
    } finally {
      await listener.close();
    }
  });
});
