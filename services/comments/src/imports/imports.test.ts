import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import request from 'supertest';
import type { ImportBatchRequest, ImportedComment } from '@parley/contracts';
import { controlTokenHeader } from '@parley/platform';
import { articleRow, joinArticle, liveFixture, newArticleKey, newSite, newUser, postComment, recordEvents, threadPath, waitFor } from '../test-support';

/**
 * The comments side of imports: `POST /internal/control/import` (whole articles, one transaction
 * each, keyed by source id), the claim hook, and what readers see. The parsers have their own
 * tests (scripts/cli/import); the command line end to end is tests/e2e/import-cli.test.ts.
 */
const token = 'import-test-control-token-0123456789abcdef';
const f = liveFixture({ PARLEY_CONTROL_TOKEN: token });
const importPath = '/internal/control/import';
const post = (body: unknown, withToken = true) => {
  const call = request(f.node.app).post(importPath).send(body as object);
  return withToken ? call.set(controlTokenHeader, token) : call;
};

let n = 0;
const comment = (fields: Partial<ImportedComment> = {}): ImportedComment => ({
  sourceId: `c${++n}`,
  parentSourceId: null,
  createdAt: '2019-03-01T10:00:00Z',
  author: { sourceKey: 'user:ann', name: 'Ann Reader', email: 'ann@example.org' },
  html: '<p>Hello</p>',
  status: 'published',
  ...fields,
});
const batch = (site: string, key: string, comments: ImportedComment[], extra: Partial<ImportBatchRequest> = {}): ImportBatchRequest => ({
  site,
  source: 'disqus',
  articles: [{ key, title: 'The budget', url: 'https://www.gazette.example/budget', closed: false, comments }],
  ...extra,
});
const thread = async (site: string, key: string) => (await request(f.node.app).get(`${threadPath({ site, article: key })}?limit=100`).expect(200)).body;

describe('POST /internal/control/import', () => {
  it('requires the control token, and refuses bad input and unknown sites, writing nothing', async () => {
    const site = await newSite(f.t.db);
    const key = newArticleKey();
    expect((await post(batch(site, key, [comment()]), false)).status).toBe(403);
    expect((await post(batch(site, key, [comment()])).set(controlTokenHeader, 'x'.repeat(token.length))).status).toBe(403);
    const bad = await post({ ...batch(site, key, [comment({ createdAt: 'yesterday' })]) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect((await post({ ...batch(site, key, [comment()]), source: 'myspace' })).status).toBe(400);
    expect((await post({ site, source: 'disqus', articles: [{ key: 'has spaces', title: null, url: null, closed: false, comments: [] }] })).status).toBe(400);
    expect((await post(batch(site, key, [comment()]), true).set('content-type', 'application/json').send('{"site":')).status).toBe(400);
    const missing = await post(batch(`nowhere-${randomUUID().slice(0, 8)}`, key, [comment()]));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('site_not_found');
    expect(await articleRow(f.t.db, { site, article: key })).toBeUndefined();
  });

  it('imports a thread with its tree, tombstones and orphans, sanitized, and a second time changes nothing', async () => {
    const site = await newSite(f.t.db);
    const key = newArticleKey();
    const root = comment({ html: '<p>The <b>deficit</b> <a href="https://example.org/x" onclick="steal()">here</a></p><script>alert(1)</script>' });
    const deleted = comment({ status: 'deleted', createdAt: '2019-03-01T09:00:00Z', html: '<p>regretted</p>', author: { sourceKey: 'user:carol', name: 'Carol', email: null } });
    const underTombstone = comment({ parentSourceId: deleted.sourceId, createdAt: '2019-03-01T11:00:00Z' });
    // Listed before its parent: parents are written first whatever the order.
    const reply = comment({ parentSourceId: root.sourceId, createdAt: '2019-03-01T10:30:00+02:00', author: { sourceKey: 'name:Bob', name: 'Bob', email: null } });
    const orphan = comment({ parentSourceId: 'gone', createdAt: '2019-03-02T08:00:00Z' });
    const body = batch(site, key, [reply, root, deleted, underTombstone, orphan]);

    const first = await post(body).expect(200);
    expect(first.body).toEqual({
      articles: { created: 1, updated: 0, unchanged: 0 },
      comments: { imported: 4, tombstones: 1, alreadyImported: 0, orphans: 1 },
      authors: { created: 2 },
    });
    const read = await thread(site, key);
    expect(read.article).toMatchObject({ title: 'The budget', url: 'https://www.gazette.example/budget', commentCount: 4 });
    const top = read.comments as { html: string; status: string; replyCount: number; createdAt: string; author: { id: string; name: string } | null; replies: { html: string; author: { name: string } }[] }[];
    expect(top.map((c) => c.status)).toEqual(['published', 'published', 'deleted']);
    const ann = top.find((c) => c.html.includes('deficit'))!;
    expect(ann.html).toBe('<p>The <strong>deficit</strong> <a href="https://example.org/x" rel="nofollow ugc noopener" target="_blank">here</a></p>');
    expect(ann.author).toEqual({ id: expect.stringMatching(/^imported:/), name: 'Ann Reader' });
    expect(ann.createdAt).toBe('2019-03-01T10:00:00.000Z');
    expect(ann.replies.map((r) => r.author.name)).toEqual(['Bob']);
    const tombstone = top.find((c) => c.status === 'deleted')!;
    expect(tombstone).toMatchObject({ author: null, html: '', replyCount: 1 });
    expect(tombstone.replies).toHaveLength(1);
    expect(JSON.stringify(read)).not.toContain('ann@example.org');

    const again = await post(body).expect(200);
    expect(again.body).toEqual({
      articles: { created: 0, updated: 0, unchanged: 1 },
      comments: { imported: 0, tombstones: 0, alreadyImported: 5, orphans: 0 },
      authors: { created: 0 },
    });
    expect(await thread(site, key)).toEqual(read);
  });

  it('adds only what is new to an article that already has comments, under their imported parents', async () => {
    const site = await newSite(f.t.db);
    const key = newArticleKey();
    const reader = newUser(f.t.tokens);
    await postComment(f.node.app, reader, { site, article: key }, { body: 'Posted here before the import' });
    const root = comment();
    await post(batch(site, key, [root])).expect(200);
    const later = await post(batch(site, key, [root, comment({ parentSourceId: root.sourceId })])).expect(200);
    expect(later.body.articles).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect(later.body.comments).toMatchObject({ imported: 1, alreadyImported: 1, orphans: 0 });
    const read = await thread(site, key);
    expect(read.article.commentCount).toBe(3);
    expect(read.comments.find((c: { replyCount: number }) => c.replyCount === 1)).toBeDefined();
  });

  it('a dry run counts the same and writes nothing', async () => {
    const site = await newSite(f.t.db);
    const key = newArticleKey();
    const dry = await post({ ...batch(site, key, [comment(), comment()]), dryRun: true }).expect(200);
    expect(dry.body.comments.imported).toBe(2);
    expect(dry.body.articles.created).toBe(1);
    expect(await articleRow(f.t.db, { site, article: key })).toBeUndefined();
    expect(await f.t.db.selectFrom('imported_authors').select('id').where('site_id', '=', site).execute()).toEqual([]);
  });

  it('keeps a closed article closed, and tells live readers once to reload instead of a flood of events', async () => {
    const site = await newSite(f.t.db);
    const key = newArticleKey();
    const reader = newUser(f.t.tokens);
    await postComment(f.node.app, reader, { site, article: key });
    const socket = await f.socket();
    const seen = recordEvents(socket);
    const joined = await joinArticle(socket, { site, article: key, sinceSeq: 1 });
    expect(joined).toMatchObject({ ok: true, seq: 1 });
    await post(batch(site, key, Array.from({ length: 30 }, () => comment()))).expect(200);
    await waitFor(socket, () => seen.length > 0);
    expect(seen).toEqual([{ type: 'article:updated', seq: 2, payload: expect.objectContaining({ resync: true, commentCount: 31, state: 'open' }) }]);

    const closedKey = newArticleKey();
    await post({ site, source: 'wordpress', articles: [{ key: closedKey, title: null, url: null, closed: true, comments: [comment()] }] }).expect(200);
    expect((await thread(site, closedKey)).article.state).toBe('closed');
  });

  it('writes each article whole or not at all: a failure midway leaves that article untouched', async () => {
    const site = await newSite(f.t.db);
    const [kept, failed] = [newArticleKey(), newArticleKey()];
    const poison = `explode-${randomUUID()}`;
    // A database that refuses one row in the middle of the second article, as a full disk or a bug would.
    await sql`create or replace function comments.test_refuse_row() returns trigger language plpgsql as $$
              begin if new.body like 'explode-%' then raise exception 'refused for the test'; end if; return new; end $$`.execute(f.t.db);
    await sql`create trigger test_refuse_row before insert on comments.comments for each row execute function comments.test_refuse_row()`.execute(f.t.db);
    try {
      const articles = [
        { key: kept, title: null, url: null, closed: false, comments: [comment(), comment()] },
        { key: failed, title: null, url: null, closed: false, comments: [comment(), comment({ html: poison }), comment()] },
      ];
      const refused = await post({ site, source: 'disqus', articles });
      expect(refused.status).toBe(500);
      expect((await thread(site, kept)).article.commentCount).toBe(2);
      expect(await articleRow(f.t.db, { site, article: failed })).toBeUndefined();
    } finally {
      await sql`drop trigger test_refuse_row on comments.comments`.execute(f.t.db);
      await sql`drop function comments.test_refuse_row()`.execute(f.t.db);
    }
  });
});

describe('POST /internal/imported-authors/claim', () => {
  it('hands an imported author and their comments to the account with that verified email, once', async () => {
    const site = await newSite(f.t.db);
    const key = newArticleKey();
    const email = `zoe-${randomUUID().slice(0, 8)}@example.org`;
    const zoe = { sourceKey: `email:${email}`, name: 'Zoë', email };
    await post(batch(site, key, [comment({ author: zoe }), comment({ author: zoe })])).expect(200);
    const claim = (body: unknown) => request(f.node.app).post('/internal/imported-authors/claim').send(body as object);
    expect((await claim({ userId: 'u1', email })).status).toBe(400);
    expect((await claim({ userId: 'u1', email: 'not-an-email', emailVerified: true })).status).toBe(400);

    const account = newUser(f.t.tokens, 'Zoë');
    const claimed = await claim({ userId: account.id, email: email.toUpperCase(), emailVerified: true }).expect(200);
    expect(claimed.body.claimed).toEqual({ authors: 1, comments: 2 });
    const read = await thread(site, key);
    expect(read.comments.map((c: { author: { id: string } }) => c.author.id)).toEqual([account.id, account.id]);
    expect((await claim({ userId: newUser(f.t.tokens).id, email, emailVerified: true }).expect(200)).body.claimed).toEqual({ authors: 0, comments: 0 });

    // Imported later, the claimed author's comments go straight to the account.
    await post(batch(site, key, [comment({ author: zoe })])).expect(200);
    expect((await thread(site, key)).comments.every((c: { author: { id: string } }) => c.author.id === account.id)).toBe(true);
  });
});
