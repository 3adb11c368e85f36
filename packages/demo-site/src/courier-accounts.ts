import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The Kestrelford Courier's own (tiny) reader accounts, so the demo shows publisher sign-on the way
 * a newsroom would run it: a reader signs in on the Courier's site, and the Courier's server signs
 * a short-lived token that the article page hands to the Parley widget (`window.parley.login`).
 * No passwords: a name is enough in the demo. The session is a signed cookie on the demo origin.
 */
export interface CourierSignOn {
  /** The Parley site the tokens are for (the demo site's own by default). */
  siteId?: string;
  /** The site's sign-on key id and HS256 secret (from Parley's admin API, or the demo seed). */
  kid: string;
  secret: string;
}

interface Reader {
  sub: string;
  name: string;
}

const cookieName = 'courier_reader';
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function courierAccounts(signOn: CourierSignOn & { siteId: string }) {
  // Signs the demo's own session cookie; new on every start, so a restart signs readers out.
  const cookieKey = randomBytes(32);
  const mac = (value: string) => createHmac('sha256', cookieKey).update(value).digest('base64url');

  function readerOf(req: IncomingMessage): Reader | undefined {
    const cookie = (req.headers.cookie ?? '').split(/;\s*/).find((part) => part.startsWith(`${cookieName}=`))?.slice(cookieName.length + 1);
    const [payload, signature] = (cookie ?? '').split('.');
    if (!payload || !signature) return undefined;
    const expected = Buffer.from(mac(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Reader;
    } catch {
      return undefined;
    }
  }

  /** What the Courier's server does for Parley: an HS256 JWT over the reader's claims. */
  function parleyToken(reader: Reader): string {
    const iat = Math.floor(Date.now() / 1000);
    const claims = { sub: reader.sub, name: reader.name, badge: 'Subscriber', iat, exp: iat + 300, jti: randomUUID(), aud: signOn.siteId };
    const input = `${base64url({ alg: 'HS256', typ: 'JWT', kid: signOn.kid })}.${base64url(claims)}`;
    return `${input}.${createHmac('sha256', signOn.secret).update(input).digest('base64url')}`;
  }

  async function form(req: IncomingMessage): Promise<URLSearchParams> {
    let body = '';
    for await (const chunk of req) {
      body += String(chunk);
      if (body.length > 4096) break;
    }
    return new URLSearchParams(body);
  }

  const json = (res: ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(JSON.stringify(value));
  };
  /** Only back to a page of this site (never `//elsewhere`): the return address comes from the query string. */
  const safeReturn = (value: string | null) => (value && /^\/(?![/\\])[A-Za-z0-9/_.-]*$/.test(value) ? value : '/');

  /** Answers `/account/*`; false for other paths. */
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    if (!url.pathname.startsWith('/account/')) return false;
    if (req.method === 'POST' && url.pathname === '/account/sign-in') {
      const name = (await form(req)).get('name')?.trim().slice(0, 50) ?? '';
      if (!name) {
        res.writeHead(303, { Location: `/account/?return=${encodeURIComponent(safeReturn(url.searchParams.get('return')))}&missing=1` }).end();
        return true;
      }
      // A stable id per name in the demo; a real site has its own account ids.
      const reader: Reader = { sub: `courier-${createHash('sha256').update(name.toLowerCase()).digest('hex').slice(0, 16)}`, name };
      const payload = base64url(reader);
      res.writeHead(303, {
        'Set-Cookie': `${cookieName}=${payload}.${mac(payload)}; Path=/; HttpOnly; SameSite=Lax`,
        Location: safeReturn(url.searchParams.get('return')),
      }).end();
      return true;
    }
    if (req.method === 'POST' && url.pathname === '/account/sign-out') {
      res.writeHead(303, { 'Set-Cookie': `${cookieName}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`, Location: safeReturn(url.searchParams.get('return')) }).end();
      return true;
    }
    if (req.method === 'POST' && url.pathname === '/account/parley-token') {
      const reader = readerOf(req);
      if (!reader) json(res, 401, { error: 'not signed in to the Courier' });
      else json(res, 200, { token: parleyToken(reader), name: reader.name });
      return true;
    }
    if (req.method === 'GET' && url.pathname === '/account/') {
      const back = safeReturn(url.searchParams.get('return'));
      const missing = url.searchParams.has('missing') ? '<p class="notice">Type a name to sign in.</p>' : '';
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in | The Kestrelford Courier</title><link rel="stylesheet" href="/css/site.css"></head>
<body><main id="main" class="wrap account-page">
<h1>Your Courier account</h1>
<p>Subscribers comment under their Courier name, with a Subscriber badge. (This is the demo: any name signs you in.)</p>
${missing}<form method="post" action="/account/sign-in?return=${encodeURIComponent(back)}">
<label for="courier-name">Your name</label> <input id="courier-name" name="name" maxlength="50" autocomplete="name" required>
<button type="submit">Sign in to the Courier</button></form>
<p><a href="${back}">Back to the article</a></p>
</main></body></html>`);
      return true;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
    return true;
  };
}
