import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { openTestDatabase, type TestDatabase } from '@parley/db';
import { seedAll, startStack, type Stack } from '../../scripts/stack';
import { staffAccessToken } from '../support/authenticators';

/**
 * Staff powers need a second factor, across the services: an admin who logs in with the right
 * password and no code gets a participant session, and every staff route of the API document —
 * in auth and in comments, through the gateway — refuses it with 403 staff_session_required.
 */
let database: TestDatabase;
let stack: Stack;
let dataDir: string;

beforeAll(async () => {
  database = await openTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'parley-2fa-'));
  await seedAll(database.source, ['http://localhost:8081']);
  stack = await startStack({ database: database.source, dataDir, ports: { gateway: 0, auth: 0, comments: 0 }, logLevel: 'silent' });
});

afterAll(async () => {
  await stack?.stop();
  await database?.close();
  await rm(dataDir, { recursive: true, force: true });
});

type Operation = { 'x-parley-roles'?: string[] };

it('refuses a password-only staff login on every staff route, and lets the same admin in with a code', async () => {
  const api = request(stack.urls.gateway);
  const passwordOnly = await api.post('/auth/login').send({ email: 'admin@example.com', password: 'parley-demo' }).expect(200);
  expect(passwordOnly.body.secondFactor).toBe('required');
  const token = passwordOnly.body.accessToken as string;

  const document = (await api.get('/openapi.json').expect(200)).body as { paths: Record<string, Record<string, Operation>> };
  const staffRoutes = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([, operation]) => operation['x-parley-roles'] && !operation['x-parley-roles'].includes('reader'))
      .map(([method, operation]) => ({ method, path, roles: operation['x-parley-roles']! })),
  );
  expect(staffRoutes.length).toBeGreaterThan(10);
  const answers: Record<string, string> = {};
  for (const { method, path } of staffRoutes) {
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'id' || name.endsWith('Id') ? '00000000-0000-4000-8000-000000000000' : 'demo'));
    const call = (api as unknown as Record<string, (url: string) => request.Test>)[method]!(url).set('Authorization', `Bearer ${token}`);
    const response = await (method === 'get' || method === 'delete' ? call : call.send({}));
    answers[`${method.toUpperCase()} ${path}`] = `${response.status} ${response.body?.error?.code}`;
  }
  expect(answers).toEqual(Object.fromEntries(Object.keys(answers).map((key) => [key, '403 staff_session_required'])));

  // With the second factor, the same admin is staff.
  const staff = await staffAccessToken(stack.urls.gateway, database.source, 'admin@example.com');
  await api.get('/api/moderation/queue?type=reported').set('Authorization', `Bearer ${staff}`).expect(200);
});
