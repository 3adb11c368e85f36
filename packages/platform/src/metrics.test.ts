import express from 'express';
import request from 'supertest';
import { createMetrics, isPrivateAddress } from './metrics';

describe('metrics', () => {
  it('records latency by route pattern and status, not by raw path', async () => {
    const metrics = createMetrics('test');
    const app = express();
    app.use(metrics.httpMetrics);
    app.use(metrics.routes);
    const things = express.Router();
    things.get('/things/:id', (_req, res) => void res.status(200).json({}));
    app.use('/api', things);
    await request(app).get('/api/things/1').expect(200);
    await request(app).get('/api/things/2').expect(200);
    await request(app).get('/nowhere').expect(404);

    const text = (await request(app).get('/metrics').expect(200)).text;
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*method="GET",route="\/api\/things\/:id",status="200"[^}]*\} 2/);
    expect(text).toMatch(/route="unmatched",status="404"/);
    expect(text).toContain('service="test"');
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('reports gauges from their collect functions', async () => {
    const metrics = createMetrics('test');
    let open = 7;
    metrics.gauge('widgets_open', 'Widgets open', () => open);
    const app = express().use(metrics.routes);
    expect((await request(app).get('/metrics')).text).toMatch(/widgets_open\{service="test"\} 7/);
    open = 3;
    expect((await request(app).get('/metrics')).text).toMatch(/widgets_open\{service="test"\} 3/);
  });

  it('tells private network addresses from public ones', () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:10.1.2.3', '172.20.0.5', '192.168.1.9', 'fd00::1']) {
      expect(isPrivateAddress(address)).toBe(true);
    }
    for (const address of ['8.8.8.8', '172.32.0.1', '::ffff:1.2.3.4', '2001:db8::1', undefined]) {
      expect(isPrivateAddress(address)).toBe(false);
    }
  });
});
