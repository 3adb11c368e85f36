import { randomBytes } from 'node:crypto';
import { authenticatorApp, demoAccounts, hashRecoveryCode, schema as authSchema, type AuthDatabase } from '@parley/auth';
import { connect, type DatabaseSource } from '@parley/db';

/**
 * Second factors of the staff accounts tests sign in with. An account enrolled during the test
 * (`rememberAuthenticator`) answers codes of its app; each is for a time step not used yet, since
 * the server accepts a step once per account (a third sign-in within 30 seconds waits for the next
 * step). The demo moderator and admin are shared by every test file of a run on one database (they
 * are seeded once, with the printed demo secret), so their time steps would be raced for: they
 * sign in with a recovery code made for that one sign-in instead, written beside theirs.
 */
const apps = new Map<string, ReturnType<typeof authenticatorApp>>();

export function rememberAuthenticator(email: string, secret: string): void {
  apps.set(email, authenticatorApp(secret));
}

const isDemoStaff = (email: string) => demoAccounts.some((account) => account.email === email && account.role !== 'reader');

/** A one-time recovery code for a demo staff account, valid for one sign-in. */
async function demoRecoveryCode(database: DatabaseSource, email: string): Promise<string> {
  const code = randomBytes(8).toString('hex');
  const db = connect<AuthDatabase>(database).withSchema(authSchema);
  try {
    const user = await db.selectFrom('users').select('id').where('email_normalized', '=', email).executeTakeFirstOrThrow();
    await db.insertInto('recovery_codes').values({ user_id: user.id, code_hash: hashRecoveryCode(code), used_at: null }).execute();
  } finally {
    await db.destroy();
  }
  return code;
}

/** The code `email` signs in with next: its app's, or for a demo staff account a fresh recovery code. */
export async function nextCode(email: string, database?: DatabaseSource): Promise<string> {
  const app = apps.get(email);
  if (app) return app.next();
  if (isDemoStaff(email) && database) return demoRecoveryCode(database, email);
  throw new Error(`no second factor known for ${email}`);
}

/** A staff session's access token from a client without Origin (as the CLI holds one): password and code. */
export async function staffAccessToken(baseUrl: string, database: DatabaseSource, email: string, password = 'parley-demo'): Promise<string> {
  const response = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, code: await nextCode(email, database) }),
  });
  const body = (await response.json()) as { accessToken?: string };
  if (response.status !== 200 || !body.accessToken) throw new Error(`staff login of ${email}: ${response.status} ${JSON.stringify(body)}`);
  return body.accessToken;
}

/**
 * A staff account's first staff session from a client without Origin, as the console does it:
 * the password opens a participant session, which enrols an app (remembered here) and confirms it
 * with a code; the confirmation answers the staff session.
 */
export async function enrolByApi(
  baseUrl: string,
  email: string,
  password: string,
): Promise<{ accessToken: string; recoveryCodes: string[]; session: { accessToken: string; refreshToken: string; user: { id: string } } }> {
  const post = async (path: string, body: unknown, token?: string) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (response.status !== 200) throw new Error(`${path} for ${email}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  const participant = (await post('/auth/login', { email, password })) as { accessToken: string };
  const { secret } = (await post('/auth/second-factor/totp', {}, participant.accessToken)) as { secret: string };
  rememberAuthenticator(email, secret);
  const confirmed = (await post('/auth/second-factor/totp/confirm', { code: await nextCode(email) }, participant.accessToken)) as {
    recoveryCodes: string[];
    session: { accessToken: string; refreshToken: string; user: { id: string } };
  };
  return { accessToken: confirmed.session.accessToken, recoveryCodes: confirmed.recoveryCodes, session: confirmed.session };
}
