import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createCommentsApp, createSite, loadCommentsConfig, schema, type CommentsApp, type CommentsDatabase } from '@parley/comments';
import { connect, openTestDatabase, type TestDatabase } from '@parley/db';
import { listen, silentLogger } from '@parley/platform';
import { createTestTokens, type TestTokens } from '@parley/tokens/testing';

/**
 * The rules the shared page cache never breaks, with two comments nodes on one database and no
 * Redis between them (so nothing but the database tells one node of the other's writes): after a
 * write answered 2xx on one node, the very next read through either node shows it — the author's
 * new comment, an edit, a deletion, a removal, a ban's removals — and counts follow.
 */
jest.setTimeout(30_000);

interface Node {
  app: CommentsApp;
  url: string;
  close(): Promise<void>;
}

let database: TestDatabase;
let tokens: TestTokens;
let nodes: Node[] = [];

async function startNode(): Promise<Node> {
  const app = createCommentsApp({
    config: loadCommentsConfig({ REVOCATIONS_URL: 'off', COMMENT_RATE_LIMIT: '10000' }),
    database: database.source,
    logger: silentLogger(),
    tokenVerifier: tokens.verifier,
    // Every account a test bans is a reader (auth is not part of this test).
    users: { find: async (id) => ({ id, role: 'reader' }) },
  });
  const server = await listen(app.app, 0);
  return {
    app,
    url: `http://127.0.0.1:${server.port}`,
    async close() {
      await app.stop();
      await server.close();
    },
  };
}

beforeAll(async () => {
  database = await openTestDatabase();
  tokens = createTestTokens();
  nodes = [await startNode(), await startNode()];
});
afterAll(async () => {
  for (const node of nodes) await node.close();
  await database?.close();
});

const user = (name = 'Reader') => {
  const id = randomUUID();
  return { id, token: `Bearer ${tokens.sign({ sub: id, name })}` };
};
const moderator = () => ({ token: `Bearer ${tokens.sign({ sub: randomUUID(), name: 'Mod', role: 'moderator' })}` });

async function newPlace(settings = {}) {
  const db = connect<CommentsDatabase>(database.source);
  try {
    const site = await createSite(db.withSchema(schema), { id: `site-${randomUUID()}`, settings });
    return { site: site.id, article: `article-${randomUUID()}` };
  } finally {
    await db.destroy();
  }
}

type Place = Awaited<ReturnType<typeof newPlace>>;
const thread = (where: Place) => `/api/sites/${where.site}/articles/${where.article}/comments`;

/** An anonymous read on one node, twice, so that node has the page cached. */
async function warm(node: Node, where: Place) {
  await request(node.url).get(thread(where)).expect(200);
  return (await request(node.url).get(thread(where)).expect(200)).body;
}
const read = async (node: Node, where: Place, token?: string) => {
  const req = request(node.url).get(thread(where));
  return (await (token ? req.set('Authorization', token) : req).expect(200)).body;
};
const count = async (node: Node, where: Place) =>
  (await request(node.url).get(`/api/sites/${where.site}/counts`).query({ articles: where.article }).expect(200)).body.counts[where.article];

describe('two comments nodes, each with its cache warm', () => {
  it('show the author\'s new comment, an edit and a deletion in the next read through either node', async () => {
    const [a, b] = nodes as [Node, Node];
    const where = await newPlace();
    const author = user('Author');
    await warm(a, where);
    await warm(b, where);

    const posted = await request(a.url).post(thread(where)).set('Authorization', author.token).send({ body: 'First!' }).expect(201);
    const id = posted.body.comment.id as string;
    // The author's next read, on the other node, with and without their token.
    expect((await read(b, where, author.token)).comments.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await read(b, where)).comments.map((c: { id: string }) => c.id)).toEqual([id]);
    expect([await count(a, where), await count(b, where)]).toEqual([1, 1]);

    await request(b.url).patch(`/api/comments/${id}`).set('Authorization', author.token).send({ body: 'First, edited' }).expect(200);
    expect((await read(a, where)).comments[0].body).toBe('First, edited');

    await request(a.url).delete(`/api/comments/${id}`).set('Authorization', author.token).expect(204);
    expect((await read(b, where)).comments[0]).toMatchObject({ status: 'deleted', body: '' });
    expect([await count(a, where), await count(b, where)]).toEqual([0, 0]);
  });

  it('show a moderator\'s removal, and a ban\'s removal of everything the user wrote, in the next read through either node', async () => {
    const [a, b] = nodes as [Node, Node];
    const where = await newPlace();
    const troll = user('Troll');
    const first = (await request(a.url).post(thread(where)).set('Authorization', troll.token).send({ body: 'one' }).expect(201)).body.comment.id;
    await request(b.url).post(thread(where)).set('Authorization', troll.token).send({ body: 'two' }).expect(201);
    await request(a.url).post(thread(where)).set('Authorization', user().token).send({ body: 'fine' }).expect(201);
    await warm(a, where);
    await warm(b, where);

    const mod = moderator();
    await request(a.url).post(`/api/moderation/comments/${first}/remove`).set('Authorization', mod.token).send({ reason: 'Rude' }).expect(200);
    expect((await read(b, where)).comments.find((c: { id: string }) => c.id === first)).toMatchObject({ status: 'removed', body: '' });
    expect(await count(b, where)).toBe(2);

    await request(b.url).post(`/api/moderation/users/${troll.id}/ban`).set('Authorization', mod.token).send({ site: where.site, reason: 'Spam' }).expect(201);
    await request(b.url)
      .post(`/api/moderation/sites/${where.site}/users/${troll.id}/remove-all`)
      .set('Authorization', mod.token)
      .send({ reason: 'Spam', confirm: true })
      .expect(200);
    const after = await read(a, where);
    expect(after.comments.map((c: { body: string; status: string }) => [c.body, c.status])).toEqual([
      ['fine', 'published'],
      ['', 'removed'],
      ['', 'removed'],
    ]);
    expect([after.article.commentCount, await count(a, where), await count(b, where)]).toEqual([1, 1, 1]);
    // And the ban itself bites on the other node at once.
    const refused = await request(a.url).post(thread(where)).set('Authorization', troll.token).send({ body: 'again' }).expect(403);
    expect(refused.body.error.code).toBe('banned');
    expect((await request(a.url).get(`/api/sites/${where.site}/articles/${where.article}/viewer`).set('Authorization', troll.token).expect(200)).body.ban).toEqual({ until: null, reason: 'Spam' });
  });

  it('show the author their held comment on the other node, and nobody else', async () => {
    const [a, b] = nodes as [Node, Node];
    const where = await newPlace({ premoderation: true });
    const author = user('Patient');
    await warm(a, where);
    await warm(b, where);
    const held = (await request(a.url).post(thread(where)).set('Authorization', author.token).send({ body: 'Held' }).expect(201)).body.comment;
    expect(held.status).toBe('pending');
    expect((await read(b, where, author.token)).comments.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([[held.id, 'pending']]);
    expect((await read(b, where)).comments).toEqual([]);
    expect((await read(b, where, user().token)).comments).toEqual([]);

    await request(b.url).post(`/api/moderation/comments/${held.id}/approve`).set('Authorization', moderator().token).send({}).expect(200);
    expect((await read(a, where)).comments.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([[held.id, 'published']]);
    expect(await count(a, where)).toBe(1);
  });
});
