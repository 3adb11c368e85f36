import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { openPrivateDatabase } from '@parley/db';
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from '@parley/mail/testing';
import { migrateAll, seedAll, startStack, type Stack } from '../../scripts/stack';

/**
 * Reply notices survive what used to lose them (ADR 0022): a reply committed while comments cannot
 * reach auth, by a stack that then stops, is mailed once by the next stack to start, through a real
 * SMTP server; and a restart after that mails it no second time.
 */
let database: Awaited<ReturnType<typeof openPrivateDatabase>>;
let smtp: TestSmtpServer;
let dataDir: string;
let stack: Stack | undefined;

beforeAll(async () => {
  database = await openPrivateDatabase();
  await migrateAll(database.source);
  await seedAll(database.source, ['http://localhost:8081']);
  smtp = await startTestSmtpServer();
  dataDir = await mkdtemp(join(tmpdir(), 'parley-notice-durability-'));
});

afterAll(async () => {
  await stack?.stop();
  await database?.close();
  await smtp?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const start = (env: Record<string, string> = {}) =>
  startStack({
    database: database.source,
    dataDir,
    ports: { gateway: 0, auth: 0, comments: 0 },
    logLevel: 'silent',
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'Parley <parley@news.example>', MAIL_POLL_INTERVAL_MS: '600000', ...env },
  });
const waitForMail = (email: string, subject: string) => smtp.waitFor((mail) => mail.envelope.to.includes(email) && mail.parsed.subject === subject);
const mailsTo = (email: string, subject: string) => smtp.received.filter((mail) => mail.envelope.to.includes(email) && mail.parsed.subject === subject);
const linkIn = (mail: ReceivedMail, path: string) => {
  const found = new RegExp(`https?://\\S+${path}\\?token=[^\\s>]+`).exec(mail.parsed.text ?? '')?.[0];
  if (!found) throw new Error(`no ${path} link in ${mail.parsed.text}`);
  const url = new URL(found);
  return `${url.pathname}${url.search}`;
};

async function reader(api: ReturnType<typeof request>, name: string) {
  const email = `${name.toLowerCase()}-${randomUUID()}@example.com`;
  const response = await api.post('/auth/register').send({ email, password: 'correct horse battery', displayName: name }).expect(201);
  await api.get(linkIn(await waitForMail(email, 'Confirm your email address'), '/auth/pages/verify-email')).expect(200);
  return { email, token: response.body.accessToken as string };
}

it('mails a reply committed while auth was unreachable once a stack that reaches it starts, and never twice', async () => {
  // Comments of this stack cannot reach auth's internal routes (tokens still verify: JWKS is apart).
  stack = await start({ AUTH_INTERNAL_URL: 'http://127.0.0.1:9' });
  let api = request(stack.urls.gateway);
  const ann = await reader(api, 'Ann');
  const bob = await reader(api, 'Bob');
  const thread = `/api/sites/demo/articles/durable-${randomUUID()}/comments`;
  const parent = await api.post(thread).set('Authorization', `Bearer ${ann.token}`).send({ body: 'The ferry should run all night.', title: 'Night ferry' }).expect(201);
  await api.post(thread).set('Authorization', `Bearer ${bob.token}`).send({ body: 'Who would ride it?', parentId: parent.body.comment.id }).expect(201);
  await stack.stop();
  stack = undefined;
  expect(mailsTo(ann.email, 'Bob replied to your comment')).toEqual([]);

  // The next stack reaches auth: its follower finds the reply waiting in the log.
  stack = await start();
  const mail = await waitForMail(ann.email, 'Bob replied to your comment');
  expect(mail.parsed.text).toContain('> Who would ride it?');
  await stack.stop();

  // A restart: the reply is behind the cursor. A later reply shows the new follower has run.
  stack = await start();
  api = request(stack.urls.gateway);
  await api.post(thread).set('Authorization', `Bearer ${ann.token}`).send({ body: 'Night shift workers.', parentId: parent.body.comment.id }).expect(201);
  await api.post(thread).set('Authorization', `Bearer ${bob.token}`).send({ body: 'Fair point.', parentId: parent.body.comment.id }).expect(201);
  await smtp.waitFor((m) => m.envelope.to.includes(ann.email) && m.parsed.subject === 'Bob replied to your comment' && (m.parsed.text ?? '').includes('Fair point.'));
  expect(mailsTo(ann.email, 'Bob replied to your comment').map((m) => (m.parsed.text ?? '').includes('Fair point.'))).toEqual([false, true]);
});
