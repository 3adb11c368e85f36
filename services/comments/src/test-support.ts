import { randomUUID } from 'node:crypto';
import type express from 'express';
import type { Kysely } from 'kysely';
import request from 'supertest';
import { io as ioClient, type Socket as ClientSocket } from 'socket.io-client';
import type { ClientToServerEvents, Comment, DigestNotificationRequest, QueueNotificationRequest, JoinAck, JoinRequest, ReplyNotificationRequest, ServerToClientEvents, SiteSettings } from '@parley/contracts';
import { connect, migrateToLatest, openPrivateDatabase, openTestDatabase, type DatabaseSource, type TestDatabase } from '@parley/db';
import { listen, silentLogger, type Registry } from '@parley/platform';
import { createTestTokens, type TestTokens } from '@parley/tokens/testing';
import { findArticle } from './articles/articles.repository';
import { createCommentsApp, type CommentsApp } from './app';
import { loadCommentsConfig } from './config';
import { migrations, schema } from './database';
import type { ArticleRow, CommentsDatabase } from './database/tables';
import { listArticleEvents, type StoredArticleEvent } from './events/events.repository';
import { PermanentRefusal, type AuthMailbox } from './notifications/auth-mailbox';
import { createSite } from './sites/sites.repository';
import type { KnownUser, UserDirectory } from './users/user-directory';

/**
 * Factories for the comments service's integration tests. Every test makes its own site and
 * articles with random ids, so test files can share one database without cleaning up.
 */

export interface TestClock {
  now: () => Date;
  /** Moves time forward, e.g. past the edit window. */
  advance(seconds: number): void;
}

/**
 * Real time plus an offset, and strictly increasing: two comments posted in the same
 * millisecond still get distinct, ordered timestamps, so order assertions are deterministic.
 */
export function testClock(): TestClock {
  let offsetMs = 0;
  let last = 0;
  return {
    now() {
      last = Math.max(Date.now() + offsetMs, last + 1);
      return new Date(last);
    },
    advance(seconds) {
      offsetMs += seconds * 1000;
    },
  };
}

export interface TestApp {
  app: express.Express;
  /** Direct database access for setting up and checking state the API doesn't expose. */
  db: Kysely<CommentsDatabase>;
  /** The database the app runs on, for code that opens its own connection (the seed). */
  source: DatabaseSource;
  tokens: TestTokens;
  clock: TestClock;
  /** The main app's metrics (its Prometheus registry). */
  metrics: Registry;
  /** Another app on the same database and keys, with different configuration (stopped by close()). */
  withEnv(env: Record<string, string>): express.Express;
  /** Another node on the same database, to stop on its own (stopped by close() unless stopped before). */
  node(env?: Record<string, string>): CommentsApp;
  /** Whether the stand-in for auth accepts notices (false: as if auth were unreachable; `refusing`: it answers 4xx). */
  setAuthReachable(reachable: boolean | 'refusing'): void;
  /**
   * The reply notices the apps handed to "auth" (standing in for POST /internal/notifications/reply;
   * the real hand-over is tested end to end), once `notificationsIdle()` resolved.
   */
  replyNotices: ReplyNotificationRequest[];
  /** The digests handed to "auth" likewise (POST /internal/notifications/digest). */
  digests: DigestNotificationRequest[];
  /** The moderators' queue notices handed to "auth" likewise (POST /internal/notifications/queue). */
  queueNotices: QueueNotificationRequest[];
  notificationsIdle(): Promise<void>;
  /** One pass of the main app's matching of imported authors with confirmed accounts. */
  matchImportedAuthors(): Promise<{ claimed: number }>;
  close(): Promise<void>;
}

/**
 * The accounts this test file minted (newUser, newStaff), standing in for the auth service's
 * directory: a ban looks its target up there. The real lookup over HTTP is tested end to end.
 */
const mintedUsers = new Map<string, KnownUser>();
export const testUserDirectory: UserDirectory = { find: async (id) => mintedUsers.get(id) };

/**
 * The accounts that confirmed an email, standing in for auth's `POST /internal/accounts/confirmed`
 * (email lowercased → account id): set one to see imported authors matched. End to end it is auth.
 */
export const confirmedTestAccounts = new Map<string, string>();
const confirmedAccounts = async (emails: string[]) =>
  emails.flatMap((email) => (confirmedTestAccounts.has(email) ? [{ email, userId: confirmedTestAccounts.get(email)! }] : []));


/**
 * `ownDatabase`: a freshly migrated database for this file alone, for tests of what is global to a
 * deployment (the notification follower's one cursor and lease, digests due by this file's clock),
 * which files sharing the run's database would otherwise take from each other.
 */
export async function startTestApp(env: Record<string, string> = {}, options: { ownDatabase?: boolean } = {}): Promise<TestApp> {
  const database: TestDatabase = options.ownDatabase ? await migratedPrivateDatabase() : await openTestDatabase();
  const tokens = createTestTokens();
  const clock = testClock();
  const apps: CommentsApp[] = [];
  const replyNotices: ReplyNotificationRequest[] = [];
  const digests: DigestNotificationRequest[] = [];
  const queueNotices: QueueNotificationRequest[] = [];
  let authReachable: boolean | 'refusing' = true;
  const reach = () => {
    if (authReachable === 'refusing') throw new PermanentRefusal('auth refused the notice (400)');
    if (!authReachable) throw new Error('connect ECONNREFUSED (auth is down in this test)');
  };
  const node = (overrides: Record<string, string>) => {
    const built = createCommentsApp({
      // Tests post in bursts; the rate limit has its own test with its own app.
      config: loadCommentsConfig({ COMMENT_RATE_LIMIT: '1000', REVOCATIONS_URL: 'off', ...overrides }),
      database: database.source,
      logger: silentLogger(),
      tokenVerifier: tokens.verifier,
      users: testUserDirectory,
      confirmedAccounts,
      mailbox: {
        replyPosted: async (notice) => void (reach(), replyNotices.push(notice)),
        digestDue: async (digest) => void (reach(), digests.push(digest)),
        queueChanged: async (notice) => void (reach(), queueNotices.push(notice)),
      },
      clock: clock.now,
    });
    const stop = built.stop;
    let stopped: Promise<void> | undefined;
    built.stop = () => (stopped ??= stop());
    apps.push(built);
    return built;
  };
  const build = (overrides: Record<string, string>) => node(overrides).app;
  const app = build(env);
  const metrics = apps[0]!.metrics;
  const connection = connect<CommentsDatabase>(database.source);
  return {
    app,
    db: connection.withSchema(schema),
    source: database.source,
    tokens,
    clock,
    metrics,
    withEnv: build,
    node: (env = {}) => node(env),
    setAuthReachable(reachable) {
      authReachable = reachable;
    },
    replyNotices,
    digests,
    queueNotices,
    async notificationsIdle() {
      for (const built of apps) await built.notificationsIdle();
    },
    matchImportedAuthors: () => apps[0]!.accountMatcher.flush(),
    async close() {
      for (const built of apps) await built.stop();
      await connection.destroy();
      await database.close();
    },
  };
}

async function migratedPrivateDatabase(): Promise<TestDatabase> {
  const own = await openPrivateDatabase();
  await migrateToLatest(own.db, schema, migrations);
  return { source: own.source, close: own.close };
}

export async function newSite(db: Kysely<CommentsDatabase>, opts: { origins?: string[]; settings?: SiteSettings } = {}) {
  const site = await createSite(db, { id: `site-${randomUUID()}`, name: 'Test Gazette', ...opts });
  return site.id;
}

export const newArticleKey = () => `article-${randomUUID()}`;

export interface TestUser {
  id: string;
  name: string;
  token: string;
}

export function newUser(tokens: TestTokens, name = 'Test Reader'): TestUser {
  const id = randomUUID();
  mintedUsers.set(id, { id, role: 'reader' });
  return { id, name, token: tokens.sign({ sub: id, name }) };
}

/** A moderator or admin: roles are global, so one may moderate every site. */
export function newStaff(tokens: TestTokens, role: 'moderator' | 'admin' = 'moderator', name = 'Mod Erator'): TestUser {
  const id = randomUUID();
  mintedUsers.set(id, { id, role });
  return { id, name, token: tokens.sign({ sub: id, name, role }) };
}

/** A moderator of these sites only (staff are per site; `newStaff` moderates every site). */
export function newSiteModerator(tokens: TestTokens, sites: string[], name = 'Site Moderator'): TestUser {
  const id = randomUUID();
  mintedUsers.set(id, { id, role: 'moderator' });
  return { id, name, token: tokens.sign({ sub: id, name, role: 'moderator', sites }) };
}

export const moderationPath = (path: string) => `/api/moderation${path}`;

export interface Where {
  site: string;
  article: string;
}

export const threadPath = ({ site, article }: Where) => `/api/sites/${site}/articles/${article}/comments`;

/** Posts a comment and insists it worked; use supertest directly for the unhappy paths. */
export async function postComment(
  app: express.Express,
  user: TestUser,
  where: Where,
  fields: { body?: string; parentId?: string; title?: string; url?: string } = {},
): Promise<Comment> {
  const res = await request(app)
    .post(threadPath(where))
    .set('Authorization', `Bearer ${user.token}`)
    .send({ body: 'A thoughtful comment.', ...fields });
  if (res.status !== 201) throw new Error(`posting failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.comment as Comment;
}

/** Reacts to a comment and insists it worked. */
export async function reactTo(app: express.Express, user: TestUser, commentId: string): Promise<void> {
  const res = await request(app).put(`/api/comments/${commentId}/reaction`).set('Authorization', `Bearer ${user.token}`);
  if (res.status !== 200) throw new Error(`reacting failed: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function articleRow(db: Kysely<CommentsDatabase>, where: Where): Promise<ArticleRow | undefined> {
  return findArticle(db, where.site, where.article);
}

export async function articleEvents(db: Kysely<CommentsDatabase>, where: Where): Promise<StoredArticleEvent[]> {
  const article = await articleRow(db, where);
  return article ? listArticleEvents(db, article.id) : [];
}

export const bearer = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

export interface LiveNode {
  url: string;
  app: express.Express;
  stop(): Promise<void>;
}

/** Stands in for auth where a test is not about notices: takes every notice and drops it (no network). */
export const acceptingMailbox: AuthMailbox = { replyPosted: async () => {}, digestDue: async () => {}, queueChanged: async () => {} };

/**
 * A comments node with its live stream, listening on a free port, over the test database and the
 * given test keys (several nodes on one database behave as one deployment).
 */
export async function startLiveNode(
  database: DatabaseSource,
  tokens: TestTokens,
  env: Record<string, string> = {},
  clock: () => Date = () => new Date(),
): Promise<LiveNode> {
  const node = createCommentsApp({
    config: loadCommentsConfig({ COMMENT_RATE_LIMIT: '1000', REVOCATIONS_URL: 'off', ...env }),
    database,
    logger: silentLogger(),
    tokenVerifier: tokens.verifier,
    users: testUserDirectory,
    confirmedAccounts,
    mailbox: acceptingMailbox,
    clock,
  });
  const server = await listen(node.app, 0);
  try {
    await node.attach(server.server);
  } catch (error) {
    await server.close();
    await node.stop();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${server.port}`,
    app: node.app,
    async stop() {
      await node.stop();
      await server.close();
    },
  };
}

export type TestSocket = ClientSocket<ServerToClientEvents, ClientToServerEvents>;

/** A socket.io client as the widget opens it: WebSocket only, optional token and page origin. */
export function connectSocket(url: string, options: { token?: string; origin?: string } = {}): TestSocket {
  return ioClient(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: options.token ? { token: options.token } : {},
    ...(options.origin ? { extraHeaders: { origin: options.origin } } : {}),
  });
}

export function connected(socket: TestSocket): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

export function joinArticle(socket: TestSocket, request: JoinRequest): Promise<JoinAck> {
  return socket.timeout(5000).emitWithAck('article:join', request);
}

/** Collects every live event a socket receives, in arrival order (heartbeats, `article:seq`, only if asked). */
export function recordEvents(socket: TestSocket, options: { heartbeats?: boolean } = {}): { type: string; seq: number; payload: Record<string, unknown> }[] {
  const seen: { type: string; seq: number; payload: Record<string, unknown> }[] = [];
  socket.onAny((type: string, payload: Record<string, unknown>) => {
    if (type === 'article:seq' && !options.heartbeats) return;
    seen.push({ type, seq: Number(payload?.seq), payload });
  });
  return seen;
}

/** Resolves once `condition` holds, checking whenever the socket receives something (5 s at most). */
export function waitFor(socket: TestSocket, condition: () => boolean, what = 'the expected events'): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.offAny(check);
      reject(new Error(`timed out waiting for ${what}`));
    }, 5000);
    // onAny listeners run before the event's own listeners; look once those have run too.
    const check = () =>
      queueMicrotask(() => {
        if (!condition()) return;
        clearTimeout(timer);
        socket.offAny(check);
        resolve();
      });
    socket.onAny(check);
  });
}

export interface LiveFixture {
  /** The test app (database, tokens, clock) and a live node on it; set once beforeAll has run. */
  t: TestApp;
  node: LiveNode;
  /** Disconnects the socket after the current test. */
  track(socket: TestSocket): TestSocket;
  /** A connected socket to the node, disconnected after the current test. */
  socket(options?: Parameters<typeof connectSocket>[1]): Promise<TestSocket>;
}

/**
 * The usual frame of a live test file: an app and one live node for the file, and every socket a
 * test opens closed after it. Registers its own beforeAll/afterEach/afterAll hooks.
 */
export function liveFixture(env: Record<string, string> = {}): LiveFixture {
  const sockets: TestSocket[] = [];
  const fixture = {
    track(socket: TestSocket) {
      sockets.push(socket);
      return socket;
    },
    async socket(options: Parameters<typeof connectSocket>[1] = {}) {
      const socket = fixture.track(connectSocket(fixture.node.url, options));
      await connected(socket);
      return socket;
    },
  } as LiveFixture;
  beforeAll(async () => {
    fixture.t = await startTestApp();
    fixture.node = await startLiveNode(fixture.t.source, fixture.t.tokens, env, fixture.t.clock.now);
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await fixture.node?.stop();
    await fixture.t?.close();
  });
  return fixture;
}
