import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as ioClient } from 'socket.io-client';
import request from 'supertest';
import { openTestDatabase, type TestDatabase } from '@parley/db';
import { seedAll, startStack, type Stack } from '../../scripts/stack';

/**
 * The whole stack as a publisher's reader meets it: auth, comments and the gateway running
 * together over one database, every call going through the gateway's public paths.
 */
const publisherOrigin = 'http://localhost:8081';
let database: TestDatabase;
let stack: Stack;
let dataDir: string;
let api: ReturnType<typeof request>;

beforeAll(async () => {
  database = await openTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'parley-e2e-'));
  await seedAll(database.source, [publisherOrigin]);
  stack = await startStack({
    database: database.source,
    dataDir,
    ports: { gateway: 0, auth: 0, comments: 0 },
    logLevel: 'silent',
  });
  api = request(stack.urls.gateway);
});

afterAll(async () => {
  await stack?.stop();
  await database?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function register(name: string) {
  const response = await api
    .post('/auth/register')
    .send({ email: `${name.toLowerCase()}-${randomUUID()}@example.com`, password: 'correct horse battery', displayName: name })
    .expect(201);
  return response.body as { accessToken: string; refreshToken: string; user: { id: string } };
}

it('a reader registers, posts, gets a reply, edits, deletes, and the thread and counts follow', async () => {
  const article = `e2e-${randomUUID()}`;
  const thread = `/api/sites/demo/articles/${article}/comments`;
  const alice = await register('Alice');
  const bob = await register('Bob');

  const empty = await api.get(thread).expect(200);
  expect(empty.body).toEqual({
    article: expect.objectContaining({ site: 'demo', key: article, commentCount: 0, state: 'open' }),
    comments: [],
    nextCursor: null,
  });

  const posted = await api
    .post(thread)
    .set('Authorization', `Bearer ${alice.accessToken}`)
    .send({ body: 'First! The *council* vote was closer than [reported](https://example.com/vote).' })
    .expect(201);
  const top = posted.body.comment;
  expect(top.author).toEqual({ id: alice.user.id, name: 'Alice' });
  expect(top.html).toContain('<em>council</em>');
  expect(top.html).toContain('rel="nofollow ugc noopener"');

  const replied = await api
    .post(thread)
    .set('Authorization', `Bearer ${bob.accessToken}`)
    .send({ body: 'Closer, yes — 7 to 6.', parentId: top.id })
    .expect(201);
  const reply = replied.body.comment;
  expect(reply).toEqual(expect.objectContaining({ parentId: top.id, depth: 1 }));

  const read = await api.get(thread).expect(200);
  expect(read.body.article.commentCount).toBe(2);
  expect(read.body.comments).toHaveLength(1);
  expect(read.body.comments[0]).toEqual(expect.objectContaining({ id: top.id, replyCount: 1 }));
  expect(read.body.comments[0].replies.map((c: { id: string }) => c.id)).toEqual([reply.id]);

  const edited = await api
    .patch(`/api/comments/${top.id}`)
    .set('Authorization', `Bearer ${alice.accessToken}`)
    .send({ body: 'First! The council vote was close.' })
    .expect(200);
  expect(edited.body.comment.editedAt).not.toBeNull();

  await api.patch(`/api/comments/${top.id}`).set('Authorization', `Bearer ${bob.accessToken}`).send({ body: 'mine now' }).expect(403);

  await api.delete(`/api/comments/${top.id}`).set('Authorization', `Bearer ${alice.accessToken}`).expect(204);
  const after = await api.get(thread).expect(200);
  const tombstone = after.body.comments[0];
  expect(tombstone).toEqual(expect.objectContaining({ id: top.id, status: 'deleted', author: null, body: '', html: '' }));
  expect(tombstone.replies.map((c: { id: string }) => c.id)).toEqual([reply.id]);
  expect(after.body.article.commentCount).toBe(1);

  const replies = await api.get(`/api/comments/${top.id}/replies`).expect(200);
  expect(replies.body.comments.map((c: { body: string }) => c.body)).toEqual(['Closer, yes — 7 to 6.']);

  const counts = await api.get(`/api/sites/demo/counts?articles=${article},never-commented-${randomUUID()}`).expect(200);
  expect(counts.body.counts[article]).toBe(1);
  expect(Object.values(counts.body.counts)).toEqual([1, 0]);
});

it('a session refreshes through the gateway and the new access token is accepted by comments', async () => {
  const carol = await register('Carol');
  const refreshed = await api.post('/auth/refresh').send({ refreshToken: carol.refreshToken }).expect(200);
  const me = await api.get('/auth/me').set('Authorization', `Bearer ${refreshed.body.accessToken}`).expect(200);
  expect(me.body.user.displayName).toBe('Carol');
  await api
    .post(`/api/sites/demo/articles/e2e-${randomUUID()}/comments`)
    .set('Authorization', `Bearer ${refreshed.body.accessToken}`)
    .send({ body: 'Posted with a refreshed token.' })
    .expect(201);
  const reused = await api.post('/auth/refresh').send({ refreshToken: carol.refreshToken }).expect(401);
  expect(reused.body.error.code).toBe('refresh_token_reused');
});

it("lets the demo site's publisher origin call the API cross-origin, and not another origin", async () => {
  const preflight = await api
    .options('/api/sites/demo/articles/a/comments')
    .set('Origin', publisherOrigin)
    .set('Access-Control-Request-Method', 'POST')
    .set('Access-Control-Request-Headers', 'authorization, content-type')
    .expect(204);
  expect(preflight.headers['access-control-allow-origin']).toBe(publisherOrigin);
  await api
    .options('/api/sites/demo/articles/a/comments')
    .set('Origin', 'https://elsewhere.example')
    .set('Access-Control-Request-Method', 'POST')
    .expect(403);
});

it('carries one request id from the gateway into error bodies from each service', async () => {
  const anonymous = await api.post('/api/sites/demo/articles/a/comments').set('X-Request-Id', 'e2e-trace-0001').send({ body: 'x' }).expect(401);
  expect(anonymous.body.error).toEqual(expect.objectContaining({ code: 'unauthenticated', requestId: 'e2e-trace-0001' }));
  const badLogin = await api.post('/auth/login').set('X-Request-Id', 'e2e-trace-0002').send({ email: 'nobody@example.com', password: 'wrong-password' }).expect(401);
  expect(badLogin.body.error).toEqual(expect.objectContaining({ code: 'invalid_credentials', requestId: 'e2e-trace-0002' }));
  const unknownSite = await api.get('/api/sites/no-such-site/articles/a/comments').expect(404);
  expect(unknownSite.body.error.code).toBe('site_not_found');
});

it('streams live events through the gateway to a publisher page, and refuses other origins', async () => {
  const article = `e2e-live-${randomUUID()}`;
  const dana = await register('Dana');
  const socket = ioClient(stack.urls.gateway, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { token: dana.accessToken },
    extraHeaders: { origin: publisherOrigin },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const ack = await socket.timeout(5000).emitWithAck('article:join', { site: 'demo', article });
    expect(ack).toEqual({ ok: true, seq: 0, events: [], resync: false });
    const received = new Promise<{ seq: number; comment: { body: string } }>((resolve) => socket.once('comment:created', resolve));
    await api
      .post(`/api/sites/demo/articles/${article}/comments`)
      .set('Authorization', `Bearer ${dana.accessToken}`)
      .send({ body: 'Live through the gateway.' })
      .expect(201);
    expect(await received).toEqual(expect.objectContaining({ seq: 1, comment: expect.objectContaining({ body: 'Live through the gateway.' }) }));
  } finally {
    socket.disconnect();
  }

  const stranger = ioClient(stack.urls.gateway, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { origin: 'https://elsewhere.example' },
  });
  const refused = await new Promise<boolean>((resolve) => {
    stranger.once('connect', () => resolve(false));
    stranger.once('connect_error', () => resolve(true));
  });
  stranger.disconnect();
  expect(refused).toBe(true);
});
