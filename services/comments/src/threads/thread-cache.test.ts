import http from 'node:http';
import zlib from 'node:zlib';
import request from 'supertest';
import { ThreadPage } from '@parley/contracts';
import { listen } from '@parley/platform';
import { bearer, newArticleKey, newSite, newUser, postComment, reactTo, startTestApp, threadPath, type TestApp, type Where } from '../test-support';

/**
 * The shared cache of anonymous thread pages: built once per article version, served from memory
 * compressed as the client accepts, with an ETag and a public Cache-Control; a logged-in answer is
 * the same page with the reader's view laid over it, never stored by anyone.
 */
let t: TestApp;
let server: Awaited<ReturnType<typeof listen>>;
beforeAll(async () => {
  t = await startTestApp();
  server = await listen(t.app, 0);
});
afterAll(async () => {
  await server.close();
  await t.close();
});

const place = async (): Promise<Where> => ({ site: await newSite(t.db), article: newArticleKey() });

/** A GET on the listener with raw bytes back (supertest would decompress them). */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

async function counter(name: string): Promise<number> {
  const text = await t.metrics.metrics();
  return Number(new RegExp(`^${name}\\{[^}]*\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
}

/** A thread of a few long comments, so its page is worth compressing. */
async function longThread(where: Where): Promise<void> {
  const user = newUser(t.tokens);
  for (let i = 0; i < 4; i++) await postComment(t.app, user, where, { body: `Comment ${i}: ${'the council should publish the costing. '.repeat(12)}` });
}

describe('shared thread pages', () => {
  it('are built once per article version and then served from memory', async () => {
    const where = await place();
    await postComment(t.app, newUser(t.tokens), where);
    const [hits, misses] = [await counter('thread_cache_hits_total'), await counter('thread_cache_misses_total')];
    const first = await request(t.app).get(threadPath(where)).expect(200);
    const second = await request(t.app).get(threadPath(where)).expect(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect([(await counter('thread_cache_hits_total')) - hits, (await counter('thread_cache_misses_total')) - misses]).toEqual([1, 1]);

    const next = await postComment(t.app, newUser(t.tokens), where, { body: 'A new one' });
    const third = await request(t.app).get(threadPath(where)).expect(200);
    expect(third.body.comments[0]).toMatchObject({ id: next.id, body: 'A new one' });
    expect(third.body.article).toMatchObject({ commentCount: 2, seq: 2 });
    expect(third.headers.etag).not.toBe(first.headers.etag);
    expect(await counter('thread_cache_misses_total')).toBe(misses + 2);
    expect(await counter('thread_cache_bytes')).toBeGreaterThan(0);
  });

  it('keep each sort, page size and cursor apart', async () => {
    const where = await place();
    const user = newUser(t.tokens);
    const [a, b, c] = [await postComment(t.app, user, where), await postComment(t.app, user, where), await postComment(t.app, user, where)];
    const ids = async (query: Record<string, string | number>) =>
      ThreadPage.parse((await request(t.app).get(threadPath(where)).query(query).expect(200)).body).comments.map((comment) => comment.id);
    expect(await ids({})).toEqual([c.id, b.id, a.id]);
    expect(await ids({ sort: 'oldest' })).toEqual([a.id, b.id, c.id]);
    expect(await ids({ limit: 1 })).toEqual([c.id]);
    const { nextCursor } = (await request(t.app).get(threadPath(where)).query({ limit: 2 }).expect(200)).body;
    expect(await ids({ limit: 2, cursor: nextCursor })).toEqual([a.id]);
    expect(await ids({})).toEqual([c.id, b.id, a.id]);
  });

  it('come compressed with brotli or gzip as Accept-Encoding allows, the same page in each', async () => {
    const where = await place();
    await longThread(where);
    const path = threadPath(where);
    const plain = await rawGet(path);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
    const page = JSON.parse(plain.body.toString('utf8'));
    expect(page.comments).toHaveLength(4);

    const br = await rawGet(path, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    expect(JSON.parse(zlib.brotliDecompressSync(br.body).toString('utf8'))).toEqual(page);

    const gz = await rawGet(path, { 'accept-encoding': 'gzip;q=1, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(gz.body).toString('utf8'))).toEqual(page);

    const refused = await rawGet(path, { 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    // Each encoding is its own representation, with its own strong ETag.
    expect(new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]).size).toBe(3);
    for (const answer of [plain, br, gz]) expect(answer.headers.vary).toBe('Accept-Encoding, Authorization');
  });

  it('answer 304 to If-None-Match naming the current version, and the page once it changed', async () => {
    const where = await place();
    await longThread(where);
    const first = await rawGet(threadPath(where), { 'accept-encoding': 'br' });
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^"4-[A-Za-z0-9_-]+-br"$/);
    const again = await rawGet(threadPath(where), { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers).toMatchObject({ etag, 'cache-control': 'public, max-age=2, stale-while-revalidate=30' });
    // The same version held in another encoding still counts (weak comparison).
    expect((await rawGet(threadPath(where), { 'if-none-match': `W/${etag}` })).status).toBe(304);

    await postComment(t.app, newUser(t.tokens), where);
    const changed = await rawGet(threadPath(where), { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).toMatch(/^"5-/);
  });

  it('say how long a CDN may keep them; a logged-in reader\'s answer is private and says what they reacted to', async () => {
    const where = await place();
    const reader = newUser(t.tokens);
    const comment = await postComment(t.app, newUser(t.tokens), where);
    await reactTo(t.app, reader, comment.id);

    const anonymous = await request(t.app).get(threadPath(where)).expect(200);
    expect(anonymous.headers['cache-control']).toBe('public, max-age=2, stale-while-revalidate=30');
    expect(anonymous.body.comments[0]).not.toHaveProperty('reacted');
    const mine = await request(t.app).get(threadPath(where)).set(bearer(reader)).expect(200);
    expect(mine.headers['cache-control']).toBe('private, no-store');
    expect(mine.headers.vary).toBe('Accept-Encoding, Authorization');
    expect(mine.headers.etag).toBeUndefined();
    expect(mine.body.comments[0]).toMatchObject({ id: comment.id, reacted: true, reactionCount: 1 });
    // The shared page did not take on the reader's view.
    expect((await request(t.app).get(threadPath(where)).expect(200)).body).toEqual(anonymous.body);

    const counts = await request(t.app).get(`/api/sites/${where.site}/counts`).query({ articles: where.article }).expect(200);
    expect(counts.headers).toMatchObject({ 'cache-control': 'public, max-age=2, stale-while-revalidate=30', vary: 'Accept-Encoding' });
  });

  it('follow the configured Cache-Control, and are built for every request with the cache off', async () => {
    const app = t.withEnv({ THREAD_CACHE_BYTES: '0', PUBLIC_CACHE_MAX_AGE_SECONDS: '0', PUBLIC_CACHE_STALE_SECONDS: '0' });
    const where = await place();
    await postComment(app, newUser(t.tokens), where);
    const first = await request(app).get(threadPath(where)).expect(200);
    expect(first.headers['cache-control']).toBe('public, no-cache');
    const second = await request(app).get(threadPath(where)).expect(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);
    const tuned = t.withEnv({ PUBLIC_CACHE_MAX_AGE_SECONDS: '10', PUBLIC_CACHE_STALE_SECONDS: '600' });
    expect((await request(tuned).get(threadPath(where)).expect(200)).headers['cache-control']).toBe('public, max-age=10, stale-while-revalidate=600');
  });

  it('still answer 404 for an unknown site and 400 for a bad cursor, before any caching', async () => {
    expect((await request(t.app).get(threadPath({ site: 'no-such-site', article: 'a' })).expect(404)).body.error.code).toBe('site_not_found');
    const where = await place();
    expect((await request(t.app).get(threadPath(where)).query({ cursor: 'garbage!' }).expect(400)).body.error.code).toBe('invalid_cursor');
  });
});
