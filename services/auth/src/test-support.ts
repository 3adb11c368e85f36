import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import request from 'supertest';
import type { AuthSession } from '@parley/contracts';
import { connect, migrateToLatest, openPrivateDatabase, openTestDatabase, type TestDatabase } from '@parley/db';
import { silentLogger } from '@parley/platform';
import { generateSigningKeyPem } from '@parley/tokens';
import { createAuthApp, type AuthApp } from './app';
import { loadAuthConfig } from './config';
import { migrations, schema } from './database';
import type { SiteDirectory } from './sso/site-directory';
import type { AuthDatabase } from './database/tables';
import { authenticatorApp } from './second-factor/test-codes';

/** A clock tests can move: `clock.advance(seconds)`. */
export interface TestClock {
  (): Date;
  advance(seconds: number): void;
}

export function testClock(start = new Date()): TestClock {
  let now = start.getTime();
  const clock = (() => new Date(now)) as TestClock;
  clock.advance = (seconds) => {
    now += seconds * 1000;
  };
  return clock;
}

export interface TestAuth extends AuthApp {
  database: TestDatabase;
  /** Direct access to the auth schema, to check what was (not) written. */
  db: Kysely<AuthDatabase>;
  clock: TestClock;
  signingKeyPem: string;
  /**
   * The sites the comments service would know (auth asks it whether a site exists): add ids to
   * make them exist. `tests/e2e` checks the real question against a running comments service.
   */
  sites: Set<string>;
  /** A known site's allowed origins (none unless set here). */
  siteOrigins: Map<string, string[]>;
  /**
   * The claims of imported authors auth handed to the comments service, in order (unless `env`
   * names a COMMENTS_INTERNAL_URL, which then gets them over HTTP). `tests/e2e` runs the real thing.
   */
  sentClaims: { userId: string; email: string }[];
  close(): Promise<void>;
}

/**
 * An auth app on the run's test database with its own key and clock. `env` overrides config
 * variables by their env names (e.g. tiny rate limits).
 */
export async function startTestAuth(options: { env?: Record<string, string>; database?: TestDatabase } = {}): Promise<TestAuth> {
  const database = options.database ?? (await openTestDatabase());
  const clock = testClock();
  const signingKeyPem = generateSigningKeyPem();
  const sites = new Set<string>();
  const siteOrigins = new Map<string, string[]>();
  const sentClaims: { userId: string; email: string }[] = [];
  const siteDirectory: SiteDirectory = { find: async (id) => (sites.has(id) ? { id, name: id, origins: siteOrigins.get(id) ?? [] } : undefined) };
  const auth = createAuthApp({
    sites: siteDirectory,
    ...(options.env?.COMMENTS_INTERNAL_URL ? {} : { sendClaim: async ({ userId, email }: { userId: string; email: string }) => (sentClaims.push({ userId, email }), 'claimed' as const) }),
    config: loadAuthConfig({ ...options.env }),
    database: database.source,
    logger: silentLogger(),
    signingKeyPem,
    clock,
  });
  const connection = connect<AuthDatabase>(database.source);
  return {
    ...auth,
    database,
    db: connection.withSchema(schema),
    clock,
    signingKeyPem,
    sites,
    siteOrigins,
    sentClaims,
    async close() {
      await auth.stop();
      await connection.destroy();
      if (!options.database) await database.close();
    },
  };
}

export const uniqueEmail = (prefix = 'user') => `${prefix}-${randomUUID()}@example.com`;

export interface NewUser {
  email: string;
  password: string;
  displayName: string;
  session: AuthSession;
}

/** Registers a fresh user through the API and returns its credentials and first session. */
export async function registerUser(app: AuthApp['app'], overrides: Partial<Omit<NewUser, 'session'>> = {}): Promise<NewUser> {
  const user = { email: uniqueEmail(), password: 'correct horse battery', displayName: 'Test Reader', ...overrides };
  const response = await request(app).post('/auth/register').send(user);
  if (response.status !== 201) throw new Error(`registerUser: ${response.status} ${JSON.stringify(response.body)}`);
  return { ...user, session: response.body as AuthSession };
}

/** Asserts the contract's error shape and returns the error for further checks. */
export function expectError(response: request.Response, status: number, code: string) {
  expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status, code });
  expect(response.body.error).toEqual(
    expect.objectContaining({ code, message: expect.any(String), requestId: expect.any(String) }),
  );
  return response.body.error as { code: string; message: string; details?: { field: string; message: string }[]; requestId: string };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export type Authenticator = ReturnType<typeof authenticatorApp>;

/**
 * Enrols an authenticator app for a staff account the way the console does (password login →
 * participant session → start → confirm with a code) and returns the app, its recovery codes and
 * the staff session the confirmation opened.
 */
export async function enrolAuthenticator(t: TestAuth, user: { email: string; password: string }) {
  const login = await request(t.app).post('/auth/login').send({ email: user.email, password: user.password });
  if (login.status !== 200 || login.body.secondFactor !== 'enrol') throw new Error(`enrolAuthenticator: ${login.status} ${JSON.stringify(login.body)}`);
  const started = await request(t.app).post('/auth/second-factor/totp').set(bearer(login.body.accessToken));
  if (started.status !== 200) throw new Error(`enrolAuthenticator: ${started.status} ${JSON.stringify(started.body)}`);
  const app = authenticatorApp(started.body.secret as string, t.clock);
  const confirmed = await request(t.app).post('/auth/second-factor/totp/confirm').set(bearer(login.body.accessToken)).send({ code: await app.next() });
  if (confirmed.status !== 200) throw new Error(`enrolAuthenticator: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  return { app, recoveryCodes: confirmed.body.recoveryCodes as string[], session: confirmed.body.session as AuthSession };
}

const authenticators = new Map<string, Authenticator>();

/** A staff session for a staff account: enrolled on first use, then password and the next code. */
export async function loginStaff(t: TestAuth, user: { email: string; password: string }, headers: Record<string, string> = {}): Promise<AuthSession> {
  const key = `${t.signingKeyPem}\n${user.email}`;
  let app = authenticators.get(key);
  if (!app) {
    const enrolled = await enrolAuthenticator(t, user);
    authenticators.set(key, enrolled.app);
    app = enrolled.app;
  }
  const response = await request(t.app).post('/auth/login').set(headers).send({ email: user.email, password: user.password, code: await app.next() });
  if (response.status !== 200) throw new Error(`loginStaff: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as AuthSession;
}

/**
 * A migrated auth database of the test file's own. The mail outbox is one table for every app on a
 * database, so a file whose app sends mail (a real SMTP server) uses its own: it must neither send
 * other files' mail nor see its own sent by them.
 */
export async function openOwnDatabase(): Promise<TestDatabase> {
  const own = await openPrivateDatabase();
  await migrateToLatest(own.db, schema, migrations);
  return { source: own.source, close: own.close };
}
