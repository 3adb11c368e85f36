import request from 'supertest';
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from '@parley/mail/testing';
import type { TestDatabase } from '@parley/db';
import { openOwnDatabase, startTestAuth, uniqueEmail, type TestAuth } from '../test-support';

/** The outbox and its sender against a real SMTP server (smtp-server) this test starts. */
const linkIn = (text: string, path: string) => new RegExp(`https?://[^\\s]+${path}\\?token=[A-Za-z0-9_-]{43}`).exec(text)?.[0];

describe('mail through SMTP', () => {
  let smtp: TestSmtpServer;
  let t: TestAuth;
  let database: TestDatabase;
  const to = (address: string) => (mail: ReceivedMail) => mail.envelope.to.includes(address);

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    database = await openOwnDatabase();
    t = await startTestAuth({ database, env: { SMTP_URL: smtp.url, MAIL_FROM: 'The Courier <comments@courier.example>', MAIL_POLL_INTERVAL_MS: '600000', PUBLIC_URL: 'https://comments.courier.example' } });
  });
  afterAll(async () => {
    await t.close();
    await database.close();
    await smtp.stop();
  });

  it('mails a new account its confirmation link, in plain text and HTML, from MAIL_FROM', async () => {
    const email = uniqueEmail('welcome');
    await request(t.app).post('/auth/register').send({ email, password: 'correct horse battery', displayName: 'Ada' }).expect(201);
    const mail = await smtp.waitFor(to(email));
    expect(mail.parsed.from?.text).toBe('"The Courier" <comments@courier.example>');
    expect(mail.parsed.to && 'text' in mail.parsed.to ? mail.parsed.to.text : undefined).toBe(email);
    expect(mail.parsed.subject).toBe('Confirm your email address');
    expect(mail.header('message-id')).toMatch(/^<[0-9a-f-]{36}@courier\.example>$/);
    const textLink = linkIn(mail.parsed.text ?? '', '/auth/pages/verify-email');
    expect(textLink).toMatch(/^https:\/\/comments\.courier\.example\/auth\/pages\/verify-email\?token=/);
    expect(mail.parsed.text).toContain('Hello Ada,');
    expect(mail.parsed.html).toContain(`href="${textLink}"`);
    expect(mail.parsed.html).toContain('lang="en"');
  });

  it('writes in the language the reader registered in', async () => {
    const email = uniqueEmail('ru');
    await request(t.app).post('/auth/register').set('Accept-Language', 'ru-RU,ru;q=0.9,en;q=0.5').send({ email, password: 'correct horse battery', displayName: 'Анна' }).expect(201);
    const mail = await smtp.waitFor(to(email));
    expect(mail.parsed.subject).toBe('Подтвердите адрес электронной почты');
    expect(mail.parsed.text).toContain('Здравствуйте, Анна!');
    expect(mail.parsed.html).toContain('lang="ru"');
  });

  it('escapes what readers write (a display name) in the HTML part', async () => {
    const email = uniqueEmail('html');
    await request(t.app).post('/auth/register').send({ email, password: 'correct horse battery', displayName: '<b>Bold</b> & co' }).expect(201);
    const mail = await smtp.waitFor(to(email));
    expect(mail.parsed.html).toContain('&lt;b&gt;Bold&lt;/b&gt; &amp; co');
    expect(mail.parsed.html).not.toContain('<b>Bold</b>');
  });

  it('keeps mail while SMTP is down and sends it, once, when it is back', async () => {
    await smtp.stop();
    const email = uniqueEmail('outage');
    await request(t.app).post('/auth/register').send({ email, password: 'correct horse battery', displayName: 'Patient' }).expect(201);
    // The kick after registering tried and failed; the mail waits with its next try 30 s away.
    await t.mailer.flush();
    const waiting = await t.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', email).executeTakeFirstOrThrow();
    expect(waiting).toEqual(expect.objectContaining({ status: 'pending', attempts: expect.any(Number), last_error: expect.any(String) }));
    expect(waiting.attempts).toBeGreaterThanOrEqual(1);
    expect(waiting.next_attempt_at.getTime()).toBeGreaterThan(t.clock().getTime());

    await smtp.start();
    // Not before its time: the backoff holds it.
    expect(await t.mailer.flush()).toEqual({ sent: 0, failed: 0 });
    t.clock.advance(31);
    expect((await t.mailer.flush()).sent).toBe(1);
    await smtp.waitFor(to(email));
    const sent = await t.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', email).executeTakeFirstOrThrow();
    // Sent mail keeps no body: a reset link must not outlive its mail in the database.
    expect(sent).toEqual(expect.objectContaining({ status: 'sent', text_body: null, html_body: null }));

    t.clock.advance(3600);
    await t.mailer.flush();
    expect(smtp.received.filter(to(email))).toHaveLength(1);
  });

  it('two auth nodes on one outbox never send the same mail twice', async () => {
    const other = await startTestAuth({ database: t.database, env: { SMTP_URL: smtp.url, MAIL_POLL_INTERVAL_MS: '600000' } });
    try {
      await smtp.stop();
      const emails = Array.from({ length: 6 }, () => uniqueEmail('pair'));
      for (const email of emails) await request(t.app).post('/auth/register').send({ email, password: 'correct horse battery', displayName: 'Twin' }).expect(201);
      await t.mailer.flush();
      await smtp.start();
      t.clock.advance(120);
      other.clock.advance(120);
      await Promise.all([t.mailer.flush(), other.mailer.flush(), t.mailer.flush(), other.mailer.flush()]);
      await Promise.all(emails.map((email) => smtp.waitFor(to(email))));
      for (const email of emails) expect(smtp.received.filter(to(email))).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});

describe('mail without SMTP', () => {
  it('waits in the outbox when nothing is configured to send it', async () => {
    const t = await startTestAuth();
    try {
      const email = uniqueEmail('nosmtp');
      await request(t.app).post('/auth/register').send({ email, password: 'correct horse battery', displayName: 'Quiet' }).expect(201);
      expect(await t.mailer.flush()).toEqual({ sent: 0, failed: 0 });
      const row = await t.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', email).executeTakeFirstOrThrow();
      expect(row).toEqual(expect.objectContaining({ status: 'pending', attempts: 0, kind: 'verify_email' }));
    } finally {
      await t.close();
    }
  });
});
