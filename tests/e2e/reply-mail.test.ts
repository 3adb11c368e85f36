import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { openPrivateDatabase } from '@parley/db';
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from '@parley/mail/testing';
import { migrateAll, seedAll, startStack, type Stack } from '../../scripts/stack';

/**
 * Reply notifications end to end: comments tells auth over internal HTTP, auth mails through a real
 * SMTP server, and the mail's RFC 8058 one-click unsubscribe works. On a database of its own, so no
 * other test's mail goes through this SMTP server.
 */
let database: Awaited<ReturnType<typeof openPrivateDatabase>>;
let stack: Stack;
let smtp: TestSmtpServer;
let dataDir: string;
let api: ReturnType<typeof request>;

beforeAll(async () => {
  database = await openPrivateDatabase();
  await migrateAll(database.source);
  await seedAll(database.source, ['http://localhost:8081']);
  smtp = await startTestSmtpServer();
  dataDir = await mkdtemp(join(tmpdir(), 'parley-reply-mail-'));
  stack = await startStack({
    database: database.source,
    dataDir,
    ports: { gateway: 0, auth: 0, comments: 0 },
    logLevel: 'silent',
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'Parley <parley@news.example>', MAIL_POLL_INTERVAL_MS: '600000' },
  });
  api = request(stack.urls.gateway);
});

afterAll(async () => {
  await stack?.stop();
  await database?.close();
  await smtp?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const mailsTo = (email: string) => smtp.received.filter((mail) => mail.envelope.to.includes(email));
const waitForMail = (email: string, subject: string) => smtp.waitFor((mail) => mail.envelope.to.includes(email) && mail.parsed.subject === subject);
const linkIn = (mail: ReceivedMail, path: string) => {
  const found = new RegExp(`https?://\\S+${path}\\?token=[^\\s>]+`).exec(mail.parsed.text ?? '')?.[0];
  if (!found) throw new Error(`no ${path} link in ${mail.parsed.text}`);
  const url = new URL(found);
  return `${url.pathname}${url.search}`;
};

async function reader(name: string, options: { verify: boolean }) {
  const email = `${name.toLowerCase()}-${randomUUID()}@example.com`;
  const response = await api.post('/auth/register').send({ email, password: 'correct horse battery', displayName: name }).expect(201);
  if (options.verify) {
    const mail = await waitForMail(email, 'Confirm your email address');
    await api.get(linkIn(mail, '/auth/pages/verify-email')).expect(200);
  }
  return { email, token: response.body.accessToken as string };
}

it('mails a reply to the comment’s author, who unsubscribes in one click', async () => {
  const thread = `/api/sites/demo/articles/reply-mail-${randomUUID()}/comments`;
  const ann = await reader('Ann', { verify: true });
  const bob = await reader('Bob', { verify: true });
  const first = await api.post(thread).set('Authorization', `Bearer ${ann.token}`).send({ body: 'The bridge should stay open.', title: 'Bridges reopen' }).expect(201);
  await api.post(thread).set('Authorization', `Bearer ${bob.token}`).send({ body: 'It should *not*.', parentId: first.body.comment.id }).expect(201);

  const mail = await waitForMail(ann.email, 'Bob replied to your comment');
  expect(mail.parsed.text).toContain('Bob replied to your comment on “Bridges reopen”');
  expect(mail.parsed.text).toContain('> It should *not*.');
  const unsubscribe = mail.header('list-unsubscribe');
  expect(unsubscribe).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/auth\/pages\/unsubscribe\?token=[^>]+>$/);
  expect(mail.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
  expect(mail.parsed.text).toContain(unsubscribe!.slice(1, -1));

  // What a mail client does with those headers (RFC 8058): POST the one-click body to the URL.
  const url = new URL(unsubscribe!.slice(1, -1));
  const done = await api.post(`${url.pathname}${url.search}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
  expect(done.text).toContain('you will get no more mail about replies');
  const settings = await api.get('/auth/me/notifications').set('Authorization', `Bearer ${ann.token}`).expect(200);
  expect(settings.body).toEqual({ notifications: { replies: false, follows: true } });

  // Bob replies again: nothing for Ann now. Ann replies to Bob, whose mail shows the first went by.
  const second = await api.post(thread).set('Authorization', `Bearer ${bob.token}`).send({ body: 'Still no.', parentId: first.body.comment.id }).expect(201);
  await api.post(thread).set('Authorization', `Bearer ${ann.token}`).send({ body: 'Fair.', parentId: second.body.comment.id }).expect(201);
  await waitForMail(bob.email, 'Ann replied to your comment');
  expect(mailsTo(ann.email).filter((m) => m.parsed.subject === 'Bob replied to your comment')).toHaveLength(1);
});

it('mails nobody whose address is not confirmed, and refuses a forged unsubscribe link', async () => {
  const thread = `/api/sites/demo/articles/reply-mail-${randomUUID()}/comments`;
  const unconfirmed = await reader('Una', { verify: false });
  const bob = await reader('Bo', { verify: true });
  const first = await api.post(thread).set('Authorization', `Bearer ${unconfirmed.token}`).send({ body: 'Hello.' }).expect(201);
  const bobs = await api.post(thread).set('Authorization', `Bearer ${bob.token}`).send({ body: 'Hi!', parentId: first.body.comment.id }).expect(201);
  await api.post(thread).set('Authorization', `Bearer ${unconfirmed.token}`).send({ body: 'Hi Bo.', parentId: bobs.body.comment.id }).expect(201);
  await waitForMail(bob.email, 'Una replied to your comment');
  expect(mailsTo(unconfirmed.email).map((m) => m.parsed.subject)).toEqual(['Confirm your email address']);

  const forged = await api.post(`/auth/pages/unsubscribe?token=${randomUUID()}.replies.AAAA`).type('form').send('List-Unsubscribe=One-Click').expect(200);
  expect(forged.text).toContain('This link is not valid');
  const page = await api.get('/auth/pages/unsubscribe?token=nope').set('Accept-Language', 'ru').expect(200);
  expect(page.text).toContain('Эта ссылка недействительна');
});
