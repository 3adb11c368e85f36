import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { openTestDatabase, type TestDatabase } from '@parley/db';
import { seedAll, startStack, type Stack } from '../../scripts/stack';

/**
 * The services behind the gateway count the client the gateway saw: a reader who rotates a forged
 * X-Forwarded-For still spends one address's login and registration budget. And the metrics are
 * on their own listener, never on a public app.
 */
let database: TestDatabase;
let stack: Stack;
let dataDir: string;

beforeAll(async () => {
  database = await openTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'parley-client-address-'));
  await seedAll(database.source, ['http://localhost:8081']);
  stack = await startStack({
    database: database.source,
    dataDir,
    ports: { gateway: 0, auth: 0, comments: 0, metrics: 0 },
    env: { LOGIN_RATE_LIMIT_PER_IP: '5', LOGIN_RATE_LIMIT_PER_ACCOUNT: '100', REGISTER_RATE_LIMIT_PER_IP: '3' },
    logLevel: 'silent',
  });
});

afterAll(async () => {
  await stack?.stop();
  await database?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const forged = (i: number) => `198.51.100.${i + 1}, 10.0.${i}.1`;

it('bad logins through the gateway get 429 after the per-address budget, however X-Forwarded-For rotates', async () => {
  const api = request(stack.urls.gateway);
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) {
    const response = await api
      .post('/auth/login')
      .set('X-Forwarded-For', forged(i))
      .send({ email: `nobody-${randomUUID()}@example.com`, password: 'not the password' });
    statuses.push(response.status);
  }
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
});

it('registrations through the gateway get 429 after the per-address budget, however X-Forwarded-For rotates', async () => {
  const api = request(stack.urls.gateway);
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const response = await api
      .post('/auth/register')
      .set('X-Forwarded-For', forged(i))
      .send({ email: `rotating-${randomUUID()}@example.com`, password: 'correct horse battery', displayName: `Rotating ${i}` });
    statuses.push(response.status);
  }
  expect(statuses).toEqual([201, 201, 201, 429, 429]);
});

it('serves every service’s metrics on the metrics listener, and /metrics on no public app', async () => {
  await request(stack.urls.gateway).get('/api/sites/demo/articles/metrics-e2e/comments').expect(200);
  for (const url of [stack.urls.gateway, stack.urls.auth, stack.urls.comments]) await request(url).get('/metrics').expect(404);

  const scraped = await request(stack.urls.metrics).get('/metrics').expect(200);
  expect(scraped.headers['content-type']).toMatch(/^text\/plain/);
  for (const service of ['gateway', 'auth', 'comments']) expect(scraped.text).toContain(`service="${service}"`);
  const counted = (...labels: string[]) =>
    scraped.text.split('\n').some((line) => line.startsWith('http_request_duration_seconds_count{') && labels.every((label) => line.includes(label)));
  expect(counted('service="gateway"', 'route="/api/*"', 'status="200"')).toBe(true);
  expect(counted('service="comments"', 'route="/api/sites/:site/articles/:article/comments"', 'status="200"')).toBe(true);
  expect(counted('service="auth"', 'route="/auth/login"', 'status="429"')).toBe(true);
  // One family per metric name even though three registries report it (the text format allows no repeats).
  expect(scraped.text.match(/^# TYPE http_request_duration_seconds histogram$/gm)).toHaveLength(1);
});
