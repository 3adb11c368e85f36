import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * A real OpenID Connect provider (oidc-provider, run by node from oidc-provider.mjs: the package is
 * ESM-only) for one test file, and a small user agent that signs a reader in on its login pages
 * the way a browser would (cookies, forms, redirects), for tests that drive the flow over HTTP.
 */
export interface TestProvider {
  issuer: string;
  /** Registers a confidential client (RFC 7591) with these redirect URIs. */
  register(redirectUris: string[], extra?: Record<string, unknown>): Promise<{ clientId: string; clientSecret: string }>;
  stop(): Promise<void>;
}

export async function startTestProvider(options: { algorithms?: string[]; idTokenTtl?: number } = {}): Promise<TestProvider> {
  const script = path.join(__dirname, 'oidc-provider.mjs');
  const child = spawn(process.execPath, [script, JSON.stringify(options)], { cwd: __dirname, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const issuer = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the test OpenID provider exited (${code}): ${errors}`)));
  });
  return {
    issuer,
    async register(redirectUris, extra = {}) {
      const response = await fetch(`${issuer}/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: redirectUris, grant_types: ['authorization_code'], response_types: ['code'], ...extra }),
      });
      const body = (await response.json()) as { client_id?: string; client_secret?: string };
      if (!response.ok || !body.client_id || !body.client_secret) throw new Error(`client registration failed: ${response.status} ${JSON.stringify(body)}`);
      return { clientId: body.client_id, clientSecret: body.client_secret };
    },
    stop: () => stop(child),
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

/**
 * Follows an authorization URL through the provider's login and consent pages as a browser would,
 * signing in as `login` (or cancelling: `deny`), and answers the URL the provider finally sends the
 * reader to (the redirect URI with `code` and `state`, or `error`).
 */
export async function signInAtProvider(authorizationUrl: string, login: string, options: { deny?: boolean } = {}): Promise<URL> {
  const cookies = new Map<string, string>();
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
  };
  let url = new URL(authorizationUrl);
  const origin = url.origin;
  let init: RequestInit = {};
  for (let step = 0; step < 20; step++) {
    if (url.origin !== origin) return url;
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() } });
    remember(response);
    init = {};
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url);
      continue;
    }
    const html = await response.text();
    if (options.deny) {
      const abort = /href="([^"]*\/abort)"/.exec(html);
      if (!abort) throw new Error(`no cancel link on ${url}: ${html.slice(0, 300)}`);
      url = new URL(abort[1]!.replace(/&amp;/g, '&'), url);
      continue;
    }
    const action = /<form[^>]*action="([^"]+)"/.exec(html);
    if (!action) throw new Error(`the provider answered ${response.status} without a form at ${url}: ${html.slice(0, 500)}`);
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1] ?? 'login';
    const form = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any password' } : { prompt });
    url = new URL(action[1]!.replace(/&amp;/g, '&'), url);
    init = { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }
  throw new Error('the provider kept redirecting');
}
