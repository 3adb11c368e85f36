import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { openTestDatabase, type TestDatabase } from '@parley/db';
import { seedAll, startStack, type Stack } from '../../scripts/stack';

/**
 * What the stack writes to its logs while a reader registers, logs in, refreshes and posts: one
 * request id from the gateway into the services' lines, and never a password, token or email.
 */
const lines: string[] = [];
let database: TestDatabase;
let stack: Stack;
let dataDir: string;

beforeAll(async () => {
  database = await openTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'parley-logs-'));
  await seedAll(database.source, ['http://localhost:8081']);
  stack = await startStack({
    database: database.source,
    dataDir,
    ports: { gateway: 0, auth: 0, comments: 0 },
    // Debug: the services log the calls the gateway forwarded at debug (the gateway's info line is the same call).
    logLevel: 'debug',
    logDestination: { write: (line: string) => void lines.push(line) },
  });
});

afterAll(async () => {
  await stack?.stop();
  await database?.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('carries the request id end to end and never logs secrets', async () => {
  const api = request(stack.urls.gateway);
  const email = `logged-${randomUUID()}@example.com`;
  const password = `Secret-${randomUUID()}`;
  const trace = `trace-${randomUUID()}`;

  const registered = await api.post('/auth/register').set('X-Request-Id', trace).send({ email, password, displayName: 'Logged' }).expect(201);
  const login = await api.post('/auth/login').send({ email, password }).expect(200);
  await api.post('/auth/login').send({ email, password: `${password}-wrong` }).expect(401);
  const refreshed = await api.post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(200);
  await api
    .post(`/api/sites/demo/articles/logs-${randomUUID()}/comments`)
    .set('Authorization', `Bearer ${refreshed.body.accessToken}`)
    .set('X-Request-Id', `${trace}-post`)
    .send({ body: 'A logged comment.' })
    .expect(201);
  await api.get('/api/comments/not-a-uuid/replies').set('Authorization', `Bearer ${login.body.accessToken}`).expect(400);

  const entries = lines.join('').trim().split('\n').map((line) => JSON.parse(line) as { service: string; requestId?: string; path?: string });
  const servicesFor = (id: string) => new Set(entries.filter((entry) => entry.requestId === id).map((entry) => entry.service));
  expect(servicesFor(trace)).toEqual(new Set(['gateway', 'auth']));
  expect(servicesFor(`${trace}-post`)).toEqual(new Set(['gateway', 'comments']));

  const everything = lines.join('');
  const secrets = [
    password,
    email,
    registered.body.accessToken,
    registered.body.refreshToken,
    login.body.accessToken,
    login.body.refreshToken,
    refreshed.body.accessToken,
    refreshed.body.refreshToken,
  ];
  for (const secret of secrets) expect(everything).not.toContain(secret);
  expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
});
