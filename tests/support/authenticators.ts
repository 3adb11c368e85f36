import { authenticatorApp, demoAccounts, demoTotpSecret } from '@parley/auth';

/**
 * The authenticator apps of the staff accounts a test signs in with: the demo moderator and admin
 * come enrolled with the printed demo secret (seed.ts); an account enrolled during the test is
 * added with `remember`. Each app hands out codes of steps not used yet, since the server accepts
 * a time step once per account (a third sign-in within 30 seconds waits for the next step).
 */
const apps = new Map<string, ReturnType<typeof authenticatorApp>>();

export function rememberAuthenticator(email: string, secret: string): void {
  apps.set(email, authenticatorApp(secret));
}

/** The next usable code of `email`'s app. */
export async function nextCode(email: string): Promise<string> {
  let app = apps.get(email);
  if (!app) {
    const demo = demoAccounts.find((account) => account.email === email && account.role !== 'reader');
    if (!demo) throw new Error(`no authenticator known for ${email}`);
    app = authenticatorApp(demoTotpSecret);
    apps.set(email, app);
  }
  return app.next();
}

/** A staff session's access token from a client without Origin (as the CLI holds one): password and code. */
export async function staffAccessToken(baseUrl: string, email: string, password = 'parley-demo'): Promise<string> {
  const response = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, code: await nextCode(email) }),
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
export async function enrolByApi(baseUrl: string, email: string, password: string): Promise<{ accessToken: string; recoveryCodes: string[] }> {
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
    session: { accessToken: string };
  };
  return { accessToken: confirmed.session.accessToken, recoveryCodes: confirmed.recoveryCodes };
}
