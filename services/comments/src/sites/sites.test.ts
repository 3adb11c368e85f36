import request from 'supertest';
import { findSite } from './sites.repository';
import { demoSiteId, seedDemoSite } from '../seed';
import { newSite, startTestApp, type TestApp } from '../test-support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('GET /internal/allowed-origins', () => {
  it("lists every site's allowed origins, each once", async () => {
    const unique = `https://${crypto.randomUUID()}.example`;
    await newSite(t.db, { origins: ['https://shared.example', unique] });
    await newSite(t.db, { origins: ['https://shared.example'] });
    const res = await request(t.app).get('/internal/allowed-origins');
    expect(res.status).toBe(200);
    expect(res.body.origins).toEqual(expect.arrayContaining(['https://shared.example', unique]));
    expect(res.body.origins.filter((o: string) => o === 'https://shared.example')).toHaveLength(1);
  });

  it('is not part of the public /api surface', async () => {
    const res = await request(t.app).get('/api/internal/allowed-origins');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('route_not_found');
  });
});

describe('seedDemoSite', () => {
  it('creates the demo site once and adds origins on later runs without dropping earlier ones', async () => {
    await seedDemoSite(t.source, { origins: ['http://localhost:8081', 'http://seed-test.example:1'] });
    await seedDemoSite(t.source, { origins: ['http://localhost:8081', 'http://127.0.0.1:8081'] });
    const site = await findSite(t.db, demoSiteId);
    expect(site?.name).toBe('The Kestrelford Courier');
    expect(site?.allowed_origins).toEqual(
      expect.arrayContaining(['http://localhost:8081', 'http://127.0.0.1:8081', 'http://seed-test.example:1']),
    );
    expect(site?.allowed_origins.filter((origin) => origin === 'http://localhost:8081')).toHaveLength(1);
    const res = await request(t.app).get(`/api/sites/${demoSiteId}/articles/any-article/comments`);
    expect(res.status).toBe(200);
  });
});

describe('health', () => {
  it('answers /healthz and /readyz with the database check', async () => {
    await request(t.app).get('/healthz').expect(200, { status: 'ok', service: 'comments' });
    const ready = await request(t.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', service: 'comments', checks: { accepting: 'ok', database: 'ok' } });
  });

  it('answers unknown routes and bad JSON in the contract error shape', async () => {
    const missing = await request(t.app).get('/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'route_not_found', requestId: expect.any(String) });
    const badJson = await request(t.app)
      .post('/api/sites/x/articles/y/comments')
      .set('Content-Type', 'application/json')
      .set('Authorization', `Bearer ${t.tokens.sign({ sub: crypto.randomUUID() })}`)
      .send('{"body":');
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.code).toBe('invalid_json');
    expect(missing.headers['x-powered-by']).toBeUndefined();
  });
});
