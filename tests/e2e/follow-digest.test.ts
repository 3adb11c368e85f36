import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Stack } from '../../scripts/stack';
import { linkIn, mailWorld, type MailWorld } from '../support/mail-stack';

/**
 * "Follow this discussion" end to end (ADR 0022): a reader follows through the gateway, others
 * comment, comments' follower batches the new comments and auth mails one digest through a real
 * SMTP server, with a one-click unsubscribe. A 3-second window here; the batching itself is tested
 * with a controlled clock in services/comments/src/follows/follows.test.ts.
 */
let world: MailWorld;
let stack: Stack;
let api: ReturnType<typeof request>;

beforeAll(async () => {
  world = await mailWorld('follow-digest');
  stack = await world.start({ FOLLOW_DIGEST_MINUTES: '0.05', NOTIFICATIONS_POLL_SECONDS: '0.2' });
  api = request(stack.urls.gateway);
});

afterAll(() => world?.close());

const waitForMail = (email: string, subject: string) => world.smtp.waitFor((mail) => mail.envelope.to.includes(email) && mail.parsed.subject === subject);
async function reader(name: string) {
  const email = `${name.toLowerCase()}-${randomUUID()}@example.com`;
  const response = await api.post('/auth/register').send({ email, password: 'correct horse battery', displayName: name }).expect(201);
  await api.get(linkIn(await waitForMail(email, 'Confirm your email address'), '/auth/pages/verify-email')).expect(200);
  return { email, auth: { Authorization: `Bearer ${response.body.accessToken as string}` } };
}

it('mails a follower one digest of the new comments by others, and unsubscribes in one click', async () => {
  const article = `harbour-${randomUUID()}`;
  const thread = `/api/sites/demo/articles/${article}/comments`;
  const follow = `/api/sites/demo/articles/${article}/follow`;
  const [fay, ann, bob] = [await reader('Fay'), await reader('Ann'), await reader('Bob')];

  await api.put(follow).set(fay.auth).expect(404);
  await api.post(thread).set(ann.auth).send({ body: 'Before anyone followed.', title: 'Harbour works' }).expect(201);
  await api.put(follow).expect(401);
  await api.put(follow).set(fay.auth).expect(200, { following: true });
  expect((await api.get(`/api/sites/demo/articles/${article}/viewer`).set(fay.auth).expect(200)).body.following).toBe(true);

  await api.post(thread).set(ann.auth).send({ body: 'The harbour needs <dredging>.' }).expect(201);
  await api.post(thread).set(fay.auth).send({ body: 'My own comment.' }).expect(201);
  await api.post(thread).set(bob.auth).send({ body: 'It was dredged in 2019.' }).expect(201);

  const mail = await waitForMail(fay.email, 'New comments on “Harbour works”');
  const text = mail.parsed.text ?? '';
  expect(text).toContain('Ann wrote:\n> The harbour needs <dredging>.');
  expect(text).toContain('Bob wrote:\n> It was dredged in 2019.');
  expect(text).not.toContain('My own comment.');
  expect(text).not.toContain('Before anyone followed.');
  expect(mail.parsed.html).toContain('The harbour needs &lt;dredging&gt;.');
  expect(mail.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
  const unsubscribe = new URL(mail.header('list-unsubscribe')!.slice(1, -1));
  const done = await api.post(`${unsubscribe.pathname}${unsubscribe.search}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
  expect(done.text).toContain('you will get no more mail about the discussions you follow');
  expect((await api.get('/auth/me/notifications').set(fay.auth).expect(200)).body).toEqual({ notifications: { replies: true, follows: false } });
});
