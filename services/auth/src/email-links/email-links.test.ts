import request from 'supertest';
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from '@parley/mail/testing';
import type { TestDatabase } from '@parley/db';
import { bearer, expectError, openOwnDatabase, registerUser, startTestAuth, uniqueEmail, type TestAuth } from '../test-support';

/** Verification, password reset and email change, through the links a real SMTP server receives. */
const pathOfLink = (mail: ReceivedMail, path: string) => {
  const url = new RegExp(`https?://[^\\s]+${path}\\?token=[A-Za-z0-9_-]{43}`).exec(mail.parsed.text ?? '')?.[0];
  if (!url) throw new Error(`no ${path} link in: ${mail.parsed.text}`);
  const parsed = new URL(url);
  return { path: `${parsed.pathname}${parsed.search}`, token: parsed.searchParams.get('token') ?? '' };
};

describe('mailed links', () => {
  let smtp: TestSmtpServer;
  let t: TestAuth;
  let database: TestDatabase;
  const mailTo = (address: string, subject?: string) => smtp.waitFor((mail) => mail.envelope.to.includes(address.toLowerCase()) && (!subject || mail.parsed.subject === subject));

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

  describe('email verification', () => {
    it('confirms the address once; the account says so', async () => {
      const user = await registerUser(t.app);
      expect(user.session.user.emailVerified).toBe(false);
      const link = pathOfLink(await mailTo(user.email), '/auth/pages/verify-email');
      const page = await request(t.app).get(link.path).expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.headers['content-security-policy']).toContain("default-src 'none'");
      expect(page.text).toContain('data-outcome="ok"');
      expect(page.text).toContain('your email address is confirmed');
      const me = await request(t.app).get('/auth/me').set(bearer(user.session.accessToken)).expect(200);
      expect(me.body.user.emailVerified).toBe(true);
      const again = await request(t.app).get(link.path).expect(200);
      expect(again.text).toContain('already used');
    });

    it('answers a broken or missing token with a clear page in the browser’s language', async () => {
      const broken = await request(t.app).get('/auth/pages/verify-email?token=nope').set('Accept-Language', 'ru').expect(200);
      expect(broken.text).toContain('lang="ru"');
      expect(broken.text).toContain('Эта ссылка недействительна');
      const missing = await request(t.app).get('/auth/pages/verify-email').expect(200);
      expect(missing.text).toContain('This link is not valid');
      const unknown = await request(t.app).get(`/auth/pages/verify-email?token=${'A'.repeat(43)}`).expect(200);
      expect(unknown.text).toContain('data-outcome="error"');
    });

    it('says an expired link has expired, in the account’s language', async () => {
      const email = uniqueEmail('late');
      await request(t.app).post('/auth/register').set('Accept-Language', 'ru').send({ email, password: 'correct horse battery', displayName: 'Поздний' }).expect(201);
      const link = pathOfLink(await mailTo(email), '/auth/pages/verify-email');
      t.clock.advance(49 * 3600);
      const page = await request(t.app).get(link.path).expect(200);
      expect(page.text).toContain('Срок действия ссылки истёк');
    });

    it('mails a new link on request; refuses without a token; once confirmed, answers the same and mails nothing', async () => {
      expectError(await request(t.app).post('/auth/email/verification'), 401, 'unauthenticated');
      const user = await registerUser(t.app);
      await mailTo(user.email);
      await request(t.app).post('/auth/email/verification').set(bearer(user.session.accessToken)).expect(202, { status: 'queued' });
      await smtp.waitFor((mail) => mail.envelope.to.includes(user.email) && smtp.received.filter((m) => m.envelope.to.includes(user.email)).length === 2);
      const link = pathOfLink(smtp.received.filter((m) => m.envelope.to.includes(user.email))[1]!, '/auth/pages/verify-email');
      await request(t.app).get(link.path).expect(200);
      await request(t.app).post('/auth/email/verification').set(bearer(user.session.accessToken)).expect(202, { status: 'queued' });
      await t.mailer.flush();
      expect(smtp.received.filter((m) => m.envelope.to.includes(user.email))).toHaveLength(2);
    });
  });

  describe('password reset', () => {
    it('answers the same for an unknown email and mails nothing', async () => {
      const email = uniqueEmail('nobody');
      const response = await request(t.app).post('/auth/password/forgot').send({ email }).expect(202);
      expect(response.body).toEqual({ status: 'queued' });
      await t.mailer.flush();
      expect(smtp.received.some((mail) => mail.envelope.to.includes(email))).toBe(false);
    });

    it('rejects bad input', async () => {
      expectError(await request(t.app).post('/auth/password/forgot').send({ email: 'not an email' }), 400, 'validation_failed');
      expectError(await request(t.app).post('/auth/password/reset').send({ token: 'x', password: 'short' }), 400, 'validation_failed');
      expectError(await request(t.app).post('/auth/password/reset').send({ token: 'x'.repeat(43), password: 'a much longer password' }), 400, 'invalid_link');
    });

    it('sets a new password once; every old session ends', async () => {
      const user = await registerUser(t.app);
      await request(t.app).post('/auth/password/forgot').send({ email: user.email.toUpperCase() }).expect(202);
      const mail = await mailTo(user.email, 'Reset your password');
      expect(mail.parsed.text).toContain('30 minutes');
      const link = pathOfLink(mail, '/auth/pages/reset-password');
      expectError(await request(t.app).post('/auth/password/reset').send({ token: link.token, password: 'password123' }), 400, 'validation_failed');
      await request(t.app).post('/auth/password/reset').send({ token: link.token, password: 'a brand new passphrase' }).expect(204);
      expectError(await request(t.app).post('/auth/password/reset').send({ token: link.token, password: 'yet another passphrase' }), 400, 'link_used');
      expectError(await request(t.app).post('/auth/refresh').send({ refreshToken: user.session.refreshToken }), 401, 'invalid_refresh_token');
      expectError(await request(t.app).post('/auth/login').send({ email: user.email, password: user.password }), 401, 'invalid_credentials');
      await request(t.app).post('/auth/login').send({ email: user.email, password: 'a brand new passphrase' }).expect(200);
      const notice = await mailTo(user.email, 'Your password was changed');
      expect(notice.parsed.text).toContain('every session was logged out');
    });

    it('works from the page the link opens, with no script', async () => {
      const user = await registerUser(t.app);
      await request(t.app).post('/auth/password/forgot').send({ email: user.email }).expect(202);
      const link = pathOfLink(await mailTo(user.email, 'Reset your password'), '/auth/pages/reset-password');
      const form = await request(t.app).get(link.path).expect(200);
      expect(form.text).toContain('<form method="post" action="/auth/pages/reset-password">');
      expect(form.text).not.toContain('<script');
      const tooShort = await request(t.app).post('/auth/pages/reset-password').type('form').send({ token: link.token, password: 'short' }).expect(200);
      expect(tooShort.text).toContain('10 to 256 characters');
      const done = await request(t.app).post('/auth/pages/reset-password').type('form').send({ token: link.token, password: 'a form made passphrase' }).expect(200);
      expect(done.text).toContain('Your password is changed');
      const reused = await request(t.app).get(link.path).expect(200);
      expect(reused.text).toContain('already used');
      await request(t.app).post('/auth/login').send({ email: user.email, password: 'a form made passphrase' }).expect(200);
    });

    it('a link works for 30 minutes', async () => {
      const user = await registerUser(t.app);
      await request(t.app).post('/auth/password/forgot').send({ email: user.email }).expect(202);
      const link = pathOfLink(await mailTo(user.email, 'Reset your password'), '/auth/pages/reset-password');
      t.clock.advance(31 * 60);
      expectError(await request(t.app).post('/auth/password/reset').send({ token: link.token, password: 'too late passphrase' }), 400, 'link_expired');
      const page = await request(t.app).get(link.path).expect(200);
      expect(page.text).toContain('This link has expired');
    });

    it('is rate limited per address, for unknown addresses too', async () => {
      for (const email of [uniqueEmail('limited'), (await registerUser(t.app)).email]) {
        for (let i = 0; i < 3; i += 1) await request(t.app).post('/auth/password/forgot').send({ email }).expect(202);
        expectError(await request(t.app).post('/auth/password/forgot').send({ email }), 429, 'rate_limited');
      }
    });
  });

  describe('email change', () => {
    it('needs a token and the current password; refuses an address in use', async () => {
      expectError(await request(t.app).post('/auth/email/change').send({ email: uniqueEmail(), password: 'x' }), 401, 'unauthenticated');
      const user = await registerUser(t.app);
      const other = await registerUser(t.app);
      expectError(await request(t.app).post('/auth/email/change').set(bearer(user.session.accessToken)).send({ email: uniqueEmail(), password: 'wrong password' }), 401, 'invalid_credentials');
      expectError(await request(t.app).post('/auth/email/change').set(bearer(user.session.accessToken)).send({ email: other.email, password: user.password }), 409, 'email_taken');
      expectError(await request(t.app).post('/auth/email/change').set(bearer(user.session.accessToken)).send({ email: 'nope', password: user.password }), 400, 'validation_failed');
    });

    it('takes effect when the link mailed to the new address is followed', async () => {
      const user = await registerUser(t.app);
      const newEmail = uniqueEmail('moved');
      await request(t.app).post('/auth/email/change').set(bearer(user.session.accessToken)).send({ email: newEmail, password: user.password }).expect(202);
      const mail = await mailTo(newEmail, 'Confirm your new email address');
      // Until then the old address is the login.
      await request(t.app).post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
      const page = await request(t.app).get(pathOfLink(mail, '/auth/pages/confirm-email').path).expect(200);
      expect(page.text).toContain('now uses the new email address');
      const login = await request(t.app).post('/auth/login').send({ email: newEmail, password: user.password }).expect(200);
      expect(login.body.user).toEqual(expect.objectContaining({ email: newEmail, emailVerified: true }));
      expectError(await request(t.app).post('/auth/login').send({ email: user.email, password: user.password }), 401, 'invalid_credentials');
    });
  });
});
