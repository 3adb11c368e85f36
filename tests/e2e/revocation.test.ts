import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as ioClient, type Socket } from 'socket.io-client';
import request from 'supertest';
import { openTestDatabase, type TestDatabase } from '@parley/db';
import { seedAll, startStack, type Stack } from '../../scripts/stack';
import { enrolByApi, nextCode } from '../support/authenticators';

/**
 * Revocation that bites in seconds, on the whole stack: a role change, a logout and a reused
 * refresh token end sessions in auth, and the comments service — which verifies tokens locally —
 * refuses them on REST and drops them from the moderation room within 5 s.
 */
let database: TestDatabase;
let stack: Stack;
let dataDir: string;
let api: ReturnType<typeof request>;
const sockets: Socket[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'parley-revocation-'));
  await seedAll(database.source, ['http://localhost:8081']);
  stack = await startStack({
    database: database.source,
    dataDir,
    ports: { gateway: 0, auth: 0, comments: 0 },
    logLevel: 'silent',
    env: { REVOCATIONS_POLL_MS: '500' },
  });
  api = request(stack.urls.gateway);
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await stack?.stop();
  await database?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** A staff session, as the console or the CLI gets one (no publisher Origin). */
async function login(email: string) {
  // Password and a second factor (tests/support/authenticators.ts): the password alone is a participant session.
  const response = await api.post('/auth/login').send({ email, password: 'parley-demo', code: await nextCode(email, database.source) }).expect(200);
  return response.body as { accessToken: string; refreshToken: string; user: { id: string } };
}

async function until<T>(probe: () => Promise<T | undefined>, withinMs: number): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return { value, ms: Date.now() - started };
    if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function moderatorSocket(token: string): Promise<{ socket: Socket; state: { expired: boolean } }> {
  const socket = ioClient(stack.urls.gateway, { transports: ['websocket'], auth: { token }, reconnection: false });
  sockets.push(socket);
  const state = { expired: false };
  socket.once('session:expired', () => (state.expired = true));
  return new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('connect', () => {
      socket.emit('moderation:join', {}, (ack: { ok: boolean }) => (ack.ok ? resolve({ socket, state }) : reject(new Error('join refused'))));
    });
  });
}

/** A moderator of the demo site of this test's own (the shared demo accounts stay as they are). */
async function newModerator(admin: { accessToken: string }) {
  const email = `mod-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const registered = await api.post('/auth/register').send({ email, password: 'parley-demo-moderator', displayName: 'Night Desk' }).expect(201);
  await api
    .put(`/auth/users/${registered.body.user.id}/role`)
    .set('Authorization', `Bearer ${admin.accessToken}`)
    .send({ role: 'moderator', sites: ['demo'] })
    .expect(200);
  // Its first staff session enrols an authenticator app.
  return (await enrolByApi(stack.urls.gateway, email, 'parley-demo-moderator')).session;
}

it('refuses a demoted moderator within 5 s on REST and on the socket', async () => {
  const admin = await login('admin@example.com');
  const moderator = await newModerator(admin);
  await api.get('/api/moderation/queue?type=reported').set('Authorization', `Bearer ${moderator.accessToken}`).expect(200);
  const { socket, state } = await moderatorSocket(moderator.accessToken);

  await api.put(`/auth/users/${moderator.user.id}/role`).set('Authorization', `Bearer ${admin.accessToken}`).send({ role: 'reader' }).expect(200);
  {
    const rest = await until(async () => {
      const response = await api.get('/api/moderation/queue?type=reported').set('Authorization', `Bearer ${moderator.accessToken}`);
      return response.status === 401 ? (response.body.error.code as string) : undefined;
    }, 5000);
    expect(rest.value).toBe('session_revoked');
    const live = await until(async () => (state.expired ? true : undefined), 5000);
    expect(live.value).toBe(true);
    console.log(`demoted moderator refused after ${rest.ms} ms on REST, dropped from the socket after ${live.ms} ms more`);
    // The old session cannot be refreshed back into moderating either.
    await api.post('/auth/refresh').send({ refreshToken: moderator.refreshToken }).expect(401);
    expect(socket.connected).toBe(true);
  }
});

it('refuses the access token of a logged-out session within 5 s on the comments service', async () => {
  const reader = await api
    .post('/auth/register')
    .send({ email: `leaver-${Date.now()}@example.com`, password: 'correct horse battery', displayName: 'Leaver' })
    .expect(201);
  const token = reader.body.accessToken as string;
  const post = (body: string) => api.post('/api/sites/demo/articles/revocation/comments').set('Authorization', `Bearer ${token}`).send({ body });
  await post('Before logging out.').expect(201);
  await api.post('/auth/logout').send({ refreshToken: reader.body.refreshToken }).expect(204);
  const refused = await until(async () => {
    const response = await post('After logging out.');
    return response.status === 401 ? (response.body.error.code as string) : undefined;
  }, 5000);
  expect(refused.value).toBe('session_revoked');
});

it('asks auth before a ban: no banning an admin or an account that does not exist', async () => {
  const moderator = await login('moderator@example.com');
  const admin = await login('admin@example.com');
  const ban = (userId: string) =>
    api.post(`/api/moderation/users/${userId}/ban`).set('Authorization', `Bearer ${moderator.accessToken}`).send({ site: 'demo', reason: 'test' });
  const refused = await ban(admin.user.id).expect(403);
  expect(refused.body.error.message).toContain('An admin cannot be banned');
  expect((await ban('00000000-0000-4000-8000-000000000000').expect(404)).body.error.code).toBe('user_not_found');
  const reader = await api
    .post('/auth/register')
    .send({ email: `banned-${Date.now()}@example.com`, password: 'correct horse battery', displayName: 'Troll' })
    .expect(201);
  await ban(reader.body.user.id).expect(201);
});
