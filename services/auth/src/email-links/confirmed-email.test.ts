import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { SsoKeyCreated } from '@parley/contracts';
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from '@parley/mail/testing';
import type { TestDatabase } from '@parley/db';
import { accountWithRole, newSite, readerClaims, secretKey, signToken } from '../sso/sso-test-support';
import { bearer, expectError, openOwnDatabase, registerUser, startTestAuth, type TestAuth } from '../test-support';

/**
 * What a confirmed email changes (issue 16 item 2, issue 17 item 2): the access token says so from
 * the next refresh on, the link can be mailed again, and the confirmed address claims the imported
 * authors with it in the comments service, off the request path and until comments answers.
 */
const linkIn = (mail: ReceivedMail, path: string) => {
  const url = new RegExp(`https?://[^\\s]+${path}\\?token=[A-Za-z0-9_-]{43}`).exec(mail.parsed.text ?? '')?.[0];
  if (!url) throw new Error(`no ${path} link in the mail`);
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};
const claimsOf = (token: string) => decodeJwt(token);

describe('a confirmed email', () => {
  let smtp: TestSmtpServer;
  let t: TestAuth;
  let database: TestDatabase;
  const mailsTo = (address: string) => smtp.received.filter((mail) => mail.envelope.to.includes(address.toLowerCase()));
  const nthMailTo = (address: string, n: number) => smtp.waitFor((mail) => mail.envelope.to.includes(address.toLowerCase()) && mailsTo(address).length >= n).then(() => mailsTo(address)[n - 1]!);

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    database = await openOwnDatabase();
    t = await startTestAuth({ database, env: { SMTP_URL: smtp.url, MAIL_POLL_INTERVAL_MS: '600000', MAIL_LINK_RATE_LIMIT_PER_EMAIL: '3', MAIL_LINK_RATE_LIMIT_PER_IP: '1000' } });
  });
  afterAll(async () => {
    await t.close();
    await database.close();
    await smtp.stop();
  });

  describe('the access token’s email_verified', () => {
    it('is false until the link is opened, and true from the next refresh on', async () => {
      const user = await registerUser(t.app);
      expect(claimsOf(user.session.accessToken)).toMatchObject({ email_verified: false, idp: 'parley' });
      await request(t.app).get(linkIn(await nthMailTo(user.email, 1), '/auth/pages/verify-email')).expect(200);
      const refreshed = await request(t.app).post('/auth/refresh').send({ refreshToken: user.session.refreshToken }).expect(200);
      expect(claimsOf(refreshed.body.accessToken).email_verified).toBe(true);
      expect(refreshed.body.user.emailVerified).toBe(true);
      const login = await request(t.app).post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
      expect(claimsOf(login.body.accessToken).email_verified).toBe(true);
    });

    it('is false for a publisher’s reader, whose address Parley never checked (their site vouches instead)', async () => {
      const admin = await accountWithRole(t, 'admin');
      const site = newSite(t);
      const created = await request(t.app).post(`/auth/admin/sites/${site}/sso-keys`).set(bearer(admin.token)).send({ kind: 'secret', kid: 'k1' }).expect(201);
      const token = await signToken(readerClaims(t, { email: 'reader@publisher.example', email_verified: true }), secretKey(SsoKeyCreated.parse(created.body).secret!), { alg: 'HS256', kid: 'k1' });
      const session = await request(t.app).post('/auth/sso').send({ site, token }).expect(200);
      expect(claimsOf(session.body.accessToken)).toMatchObject({ email_verified: false, idp: `sso:${site}` });
      // Nor does it claim imported authors by the address the publisher asserts.
      expect(t.sentClaims.some((claim) => claim.userId === session.body.user.id)).toBe(false);
    });
  });

  describe('POST /auth/email/verification', () => {
    it('requires authentication', async () => {
      expectError(await request(t.app).post('/auth/email/verification'), 401, 'unauthenticated');
    });

    it('mails a new link that confirms the address', async () => {
      const user = await registerUser(t.app);
      await nthMailTo(user.email, 1);
      await request(t.app).post('/auth/email/verification').set(bearer(user.session.accessToken)).expect(202, { status: 'queued' });
      await request(t.app).get(linkIn(await nthMailTo(user.email, 2), '/auth/pages/verify-email')).expect(200);
      const me = await request(t.app).get('/auth/me').set(bearer(user.session.accessToken)).expect(200);
      expect(me.body.user.emailVerified).toBe(true);
    });

    it('answers the same for a confirmed address and mails nothing', async () => {
      const user = await registerUser(t.app);
      await request(t.app).get(linkIn(await nthMailTo(user.email, 1), '/auth/pages/verify-email')).expect(200);
      await request(t.app).post('/auth/email/verification').set(bearer(user.session.accessToken)).expect(202, { status: 'queued' });
      await t.mailer.flush();
      await t.mailer.flush();
      expect(mailsTo(user.email)).toHaveLength(1);
    });

    it('is limited per address, confirmed or not (429 with Retry-After), and mails nothing then', async () => {
      const unconfirmed = await registerUser(t.app);
      const confirmed = await registerUser(t.app);
      await request(t.app).get(linkIn(await nthMailTo(confirmed.email, 1), '/auth/pages/verify-email')).expect(200);
      for (const user of [unconfirmed, confirmed]) {
        for (let i = 0; i < 3; i++) await request(t.app).post('/auth/email/verification').set(bearer(user.session.accessToken)).expect(202);
        const limited = await request(t.app).post('/auth/email/verification').set(bearer(user.session.accessToken));
        expectError(limited, 429, 'rate_limited');
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      }
      // The registration's mail and three more; then nothing else is left to send.
      await nthMailTo(unconfirmed.email, 4);
      await t.mailer.flush();
      await t.mailer.flush();
      expect(mailsTo(unconfirmed.email)).toHaveLength(4);
      expect(mailsTo(confirmed.email)).toHaveLength(1);
    });
  });

  describe('POST /internal/accounts/confirmed (comments asks, for authors it imported later)', () => {
    it('answers only accounts that confirmed the address, whatever its case; refuses bad input', async () => {
      const confirmed = await registerUser(t.app);
      const unconfirmed = await registerUser(t.app);
      await request(t.app).get(linkIn(await nthMailTo(confirmed.email, 1), '/auth/pages/verify-email')).expect(200);
      const answer = await request(t.app).post('/internal/accounts/confirmed').send({ emails: [confirmed.email.toUpperCase(), unconfirmed.email, 'nobody@example.com'] }).expect(200);
      expect(answer.body).toEqual({ accounts: [{ email: confirmed.email, userId: confirmed.session.user.id }] });
      expectError(await request(t.app).post('/internal/accounts/confirmed').send({ emails: [] }), 400, 'validation_failed');
      expectError(await request(t.app).post('/internal/accounts/confirmed').send({ emails: ['not an email'] }), 400, 'validation_failed');
      expectError(await request(t.app).post('/internal/accounts/confirmed').send({ emails: Array(201).fill(confirmed.email) }), 400, 'validation_failed');
    });
  });

  describe('claiming imported authors', () => {
    it('hands the confirmed address to the comments service once, after the confirmation', async () => {
      const user = await registerUser(t.app);
      const id = user.session.user.id;
      expect(t.sentClaims.filter((claim) => claim.userId === id)).toEqual([]);
      await request(t.app).post('/auth/email/verification').set(bearer(user.session.accessToken)).expect(202);
      const first = linkIn(await nthMailTo(user.email, 1), '/auth/pages/verify-email');
      const second = linkIn(await nthMailTo(user.email, 2), '/auth/pages/verify-email');
      await request(t.app).get(first).expect(200);
      await request(t.app).get(second).expect(200);
      await t.claims.flush();
      expect(t.sentClaims.filter((claim) => claim.userId === id)).toEqual([{ userId: id, email: user.email }]);
      expect(await t.db.selectFrom('imported_author_claims').selectAll().where('user_id', '=', id).execute()).toEqual([]);
    });

    it('claims by a new address once it is confirmed, and by an address a reset link proved', async () => {
      const user = await registerUser(t.app);
      const id = user.session.user.id;
      await request(t.app).post('/auth/password/forgot').send({ email: user.email }).expect(202);
      const reset = await smtp.waitFor((mail) => mail.envelope.to.includes(user.email) && mail.parsed.subject === 'Reset your password');
      const token = new URL(`http://x${linkIn(reset, '/auth/pages/reset-password')}`).searchParams.get('token');
      await request(t.app).post('/auth/password/reset').send({ token, password: 'a brand new passphrase' }).expect(204);
      await t.claims.flush();
      expect(t.sentClaims.filter((claim) => claim.userId === id).map((claim) => claim.email)).toEqual([user.email]);

      const login = await request(t.app).post('/auth/login').send({ email: user.email, password: 'a brand new passphrase' }).expect(200);
      const newEmail = `moved-${user.email}`;
      await request(t.app).post('/auth/email/change').set(bearer(login.body.accessToken)).send({ email: newEmail, password: 'a brand new passphrase' }).expect(202);
      await request(t.app).get(linkIn(await nthMailTo(newEmail, 1), '/auth/pages/confirm-email')).expect(200);
      await t.claims.flush();
      expect(t.sentClaims.filter((claim) => claim.userId === id).map((claim) => claim.email)).toEqual([user.email, newEmail]);
    });
  });
});

describe('claims on their way to the comments service', () => {
  it('wait while comments is away and go out, once, when it answers', async () => {
    const seen: unknown[] = [];
    let status = 503;
    const comments = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ path: req.url, body: JSON.parse(body) });
        res.writeHead(status, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify({ claimed: { authors: 1, comments: 2 } }));
      });
    });
    await new Promise<void>((resolve) => comments.listen(0, '127.0.0.1', resolve));
    const smtp = await startTestSmtpServer();
    const t = await startTestAuth({
      env: { SMTP_URL: smtp.url, MAIL_POLL_INTERVAL_MS: '600000', COMMENTS_INTERNAL_URL: `http://127.0.0.1:${(comments.address() as AddressInfo).port}` },
    });
    try {
      const user = await registerUser(t.app);
      const mail = await smtp.waitFor((received) => received.envelope.to.includes(user.email));
      await request(t.app).get(linkIn(mail, '/auth/pages/verify-email')).expect(200);
      await t.claims.flush();
      expect(seen).toEqual([{ path: '/internal/imported-authors/claim', body: { userId: user.session.user.id, email: user.email, emailVerified: true } }]);
      const waiting = await t.db.selectFrom('imported_author_claims').selectAll().execute();
      expect(waiting).toEqual([expect.objectContaining({ user_id: user.session.user.id, attempts: 1, last_error: 'the comments service answered 503' })]);

      status = 200;
      await t.claims.flush();
      expect(seen).toHaveLength(1); // not due yet: it waits 30 s
      t.clock.advance(31);
      await t.claims.flush();
      expect(seen).toHaveLength(2);
      expect(await t.db.selectFrom('imported_author_claims').selectAll().execute()).toEqual([]);
      t.clock.advance(3600);
      await t.claims.flush();
      expect(seen).toHaveLength(2);
    } finally {
      await t.close();
      await smtp.stop();
      await new Promise((resolve) => comments.close(resolve));
    }
  });
});
