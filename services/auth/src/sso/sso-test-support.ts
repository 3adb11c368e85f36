import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import request from 'supertest';
import { isStaff, type Role } from '@parley/contracts';
import { loginStaff, registerUser, type TestAuth } from '../test-support';

/** A registered account given `role`, logged in again without an Origin (a staff session for staff, like the CLI). */
export async function accountWithRole(t: TestAuth, role: Role, origin?: string) {
  const user = await registerUser(t.app, { displayName: `Account of ${role.length}` });
  await t.db.updateTable('users').set({ role, moderated_sites: role === 'moderator' ? ['*'] : [] }).where('id', '=', user.session.user.id).execute();
  // Staff without an Origin: password and a code of their (test) authenticator app.
  if (isStaff(role) && !origin) return { id: user.session.user.id, token: (await loginStaff(t, user)).accessToken };
  const login = request(t.app).post('/auth/login');
  if (origin) login.set('Origin', origin);
  const response = await login.send({ email: user.email, password: user.password }).expect(200);
  return { id: user.session.user.id, token: response.body.accessToken as string };
}

let siteCounter = 0;
/** A site id of the test's own, known to the (test) site directory. */
export function newSite(t: TestAuth): string {
  const id = `sso-${process.pid}-${++siteCounter}-${randomUUID().slice(0, 8)}`;
  t.sites.add(id);
  return id;
}

/** Claims of a good sign-on token, issued now by the test clock; override to make bad ones. */
export function readerClaims(t: TestAuth, overrides: Record<string, unknown> = {}): JWTPayload {
  const iat = Math.floor(t.clock().getTime() / 1000);
  return { sub: `reader-${randomUUID()}`, name: 'Ada Subscriber', iat, exp: iat + 300, jti: randomUUID(), ...overrides };
}

/** Signs claims as a publisher's server does; claims set to `undefined` are left out. */
export async function signToken(claims: JWTPayload, key: KeyLike | Uint8Array, header: { alg: string; kid?: string }): Promise<string> {
  const payload = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
  return new SignJWT(payload).setProtectedHeader({ ...header, typ: 'JWT' }).sign(key);
}

export const secretKey = (secret: string) => new TextEncoder().encode(secret);

export interface PublisherJwks {
  url: string;
  /** Signs with the publisher's key of that algorithm (kid `es-1` or `rs-1`). */
  sign(claims: JWTPayload, alg?: 'ES256' | 'RS256', kid?: string): Promise<string>;
  /** What the server answers from now on (e.g. a set without the old key). */
  serve(body: unknown, status?: number): void;
  keys: { ES256: KeyLike; RS256: KeyLike };
  jwks: { keys: object[] };
  close(): Promise<void>;
}

/** A publisher's real JWKS endpoint on this machine, with an ES256 and an RS256 key. */
export async function startPublisherJwks(): Promise<PublisherJwks> {
  const es = await generateKeyPair('ES256');
  const rs = await generateKeyPair('RS256');
  const jwks = {
    keys: [
      { ...(await exportJWK(es.publicKey)), kid: 'es-1', alg: 'ES256', use: 'sig' },
      { ...(await exportJWK(rs.publicKey)), kid: 'rs-1', alg: 'RS256', use: 'sig' },
    ],
  };
  let answer: { body: unknown; status: number } = { body: jwks, status: 200 };
  const server = http.createServer((_req, res) => {
    res.writeHead(answer.status, { 'content-type': 'application/json', connection: 'close' });
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    keys: { ES256: es.privateKey, RS256: rs.privateKey },
    jwks,
    sign: (claims, alg = 'ES256', kid = alg === 'ES256' ? 'es-1' : 'rs-1') => signToken(claims, alg === 'ES256' ? es.privateKey : rs.privateKey, { alg, kid }),
    serve(body, status = 200) {
      answer = { body, status };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
