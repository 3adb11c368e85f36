import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Stack } from '../../scripts/stack';
import { linkIn, mailWorld, type MailWorld } from '../support/mail-stack';

/**
 * Reply notices survive what used to lose them (ADR 0022): a reply committed while comments cannot
 * reach auth, by a stack that then stops, is mailed once by the next stack to start, through a real
 * SMTP server; and a restart after that mails it no second time.
 */
let world: MailWorld;
let stack: Stack | undefined;

beforeAll(async () => {
  world = await mailWorld('notice-durability');
});

afterAll(() => world?.close());

const start = (env: Record<string, string> = {}) => world.start(env);
const waitForMail = (email: string, subject: string) => world.smtp.waitFor((mail) => mail.envelope.to.includes(email) && mail.parsed.subject === subject);
const mailsTo = (email: string, subject: string) => world.smtp.received.filter((mail) => mail.envelope.to.includes(email) && mail.parsed.subject === subject);
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
  await world.smtp.waitFor((m) => m.envelope.to.includes(ann.email) && m.parsed.subject === 'Bob replied to your comment' && (m.parsed.text ?? '').includes('Fair point.'));
  expect(mailsTo(ann.email, 'Bob replied to your comment').map((m) => (m.parsed.text ?? '').includes('Fair point.'))).toEqual([false, true]);
});
