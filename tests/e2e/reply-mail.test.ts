import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Stack } from '../../scripts/stack';
import { linkIn, mailWorld, type MailWorld } from '../support/mail-stack';

/**
 * Reply notifications end to end: comments tells auth over internal HTTP, auth mails through a real
 * SMTP server, and the mail's RFC 8058 one-click unsubscribe works. On a database of its own, so no
 * other test's mail goes through this SMTP server.
 */
let world: MailWorld;
let stack: Stack;
let api: ReturnType<typeof request>;

beforeAll(async () => {
  world = await mailWorld('reply-mail');
  stack = await world.start();
  api = request(stack.urls.gateway);
});

afterAll(() => world?.close());

const mailsTo = (email: string) => world.smtp.received.filter((mail) => mail.envelope.to.includes(email));
const waitForMail = (email: string, subject: string) => world.smtp.waitFor((mail) => mail.envelope.to.includes(email) && mail.parsed.subject === subject);
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
