import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { controlTokenHeader } from '@parley/platform';
import { newControlToken } from '../../scripts/cli/control';
import type { Stack } from '../../scripts/stack';
import { linkIn, mailWorld, type MailWorld } from '../support/mail-stack';

/**
 * Issue 17 item 2 end to end: comments imported from another system belong to an imported author
 * (name, private email); a reader who registers with that email and opens the confirmation link
 * gets them — auth hands the confirmed address to comments over internal HTTP, off the request
 * path. Before the confirmation nothing moves: anybody can register with any address.
 */
jest.setTimeout(60_000);

let world: MailWorld;
let stack: Stack;
let api: ReturnType<typeof request>;
const controlToken = newControlToken();

beforeAll(async () => {
  world = await mailWorld('claim');
  stack = await world.start({ PARLEY_CONTROL_TOKEN: controlToken });
  api = request(stack.urls.gateway);
});

afterAll(() => world?.close());

/** Imports one article whose two comments are by an author with `email`, as `pnpm parley import` does on a running Parley. */
async function importArticle(key: string, email: string) {
  const author = { sourceKey: `disqus-user:${email}`, name: 'Old Commenter', email };
  const response = await fetch(`${stack.urls.comments}/internal/control/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [controlTokenHeader]: controlToken },
    body: JSON.stringify({
      site: 'demo',
      source: 'disqus',
      articles: [
        {
          key,
          title: 'From the archive',
          url: null,
          closed: false,
          comments: [
            { sourceId: `${key}-1`, parentSourceId: null, createdAt: '2019-04-01T10:00:00Z', author, html: '<p>Back in 2019 I said so.</p>', status: 'published' },
            { sourceId: `${key}-2`, parentSourceId: `${key}-1`, createdAt: '2019-04-02T10:00:00Z', author, html: '<p>And again.</p>', status: 'published' },
          ],
        },
      ],
    }),
  });
  expect(response.status).toBe(200);
}

/** Polls what the account holds until `done` says so (the claim goes out after the link's page answered). */
async function myComments(token: string, done: (count: number) => boolean) {
  for (;;) {
    const data = await api.get('/api/me/data').set('Authorization', `Bearer ${token}`).expect(200);
    if (done(data.body.comments.length)) return data.body.comments as { article: string; body: string }[];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('hands imported comments to the account that confirms their email, and to nobody before', async () => {
  const email = `old-commenter-${randomUUID()}@example.com`;
  const key = `archive-${randomUUID().slice(0, 8)}`;
  await importArticle(key, email);

  // Registered with the address, not yet confirmed: nothing is theirs.
  const registered = await api.post('/auth/register').send({ email: email.toUpperCase(), password: 'correct horse battery', displayName: 'Returning Reader' }).expect(201);
  const token = registered.body.accessToken as string;
  expect((await api.get('/api/me/data').set('Authorization', `Bearer ${token}`).expect(200)).body.comments).toEqual([]);

  const mail = await world.smtp.waitFor((received) => received.envelope.to.some((to) => to.toLowerCase() === email) && received.parsed.subject === 'Confirm your email address');
  await api.get(linkIn(mail, '/auth/pages/verify-email')).expect(200);

  const mine = await myComments(token, (count) => count === 2);
  expect(mine.map((comment) => [comment.article, comment.body])).toEqual(
    expect.arrayContaining([
      [key, 'Back in 2019 I said so.'],
      [key, 'And again.'],
    ]),
  );
  const thread = await api.get(`/api/sites/demo/articles/${key}/comments`).expect(200);
  expect(thread.body.comments[0].author).toMatchObject({ id: registered.body.user.id });

  // Importing the same author again later: the comments go straight to the account.
  const later = `archive-${randomUUID().slice(0, 8)}`;
  await importArticle(later, email);
  const all = await myComments(token, (count) => count === 4);
  expect(all.filter((comment) => comment.article === later)).toHaveLength(2);
});

it('hands an author imported after the reader confirmed to that reader too', async () => {
  const email = `late-import-${randomUUID()}@example.com`;
  const registered = await api.post('/auth/register').send({ email, password: 'correct horse battery', displayName: 'Early Reader' }).expect(201);
  const token = registered.body.accessToken as string;
  const mail = await world.smtp.waitFor((received) => received.envelope.to.some((to) => to.toLowerCase() === email) && received.parsed.subject === 'Confirm your email address');
  await api.get(linkIn(mail, '/auth/pages/verify-email')).expect(200);

  // The newsroom imports its history afterwards: comments asks auth which addresses are confirmed.
  const key = `archive-${randomUUID().slice(0, 8)}`;
  await importArticle(key, email);
  const mine = await myComments(token, (count) => count === 2);
  expect(mine.every((comment) => comment.article === key)).toBe(true);

  // An address nobody confirmed stays with its imported author.
  const stranger = `nobody-${randomUUID()}@example.com`;
  const other = `archive-${randomUUID().slice(0, 8)}`;
  await importArticle(other, stranger);
  await api.post('/auth/register').send({ email: stranger, password: 'correct horse battery', displayName: 'Not Confirmed' }).expect(201);
  const thread = await api.get(`/api/sites/demo/articles/${other}/comments`).expect(200);
  expect(thread.body.comments[0].author.id).toMatch(/^imported:/);
});
