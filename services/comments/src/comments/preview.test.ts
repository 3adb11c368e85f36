import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import request from 'supertest';
import { PreviewResponse } from '@parley/contracts';
import { buildOpenApiDocument } from '@parley/openapi';
import { routes } from '../routes';
import { bearer, newArticleKey, newSite, newStaff, newUser, postComment, startTestApp, type TestApp } from '../test-support';

/**
 * POST /api/preview: the widget's "Preview" shows the body exactly as it would be published,
 * rendered by the same function as a post, and nothing is stored.
 */
let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(() => t.close());

const preview = (body: object) => request(t.app).post('/api/preview').send(body);

describe('POST /api/preview', () => {
  it('requires authentication', async () => {
    const res = await preview({ body: '**hi**' }).expect(401);
    expect(res.body.error.code).toBe('unauthenticated');
    expect((await preview({ body: '**hi**' }).set('Authorization', 'Bearer not.a.token').expect(401)).body.error.code).toBe('invalid_token');
  });

  it('renders the body exactly as posting it publishes it, for a reader and for a staff session alike', async () => {
    const reader = newUser(t.tokens);
    const body = '**bold** and _slanted_, a [link](https://example.com/a?b=1) and `code`\n> quoted';
    const res = await preview({ body }).set(bearer(reader)).expect(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const { html } = PreviewResponse.parse(res.body);
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>slanted</em>');
    expect(html).toContain('<a href="https://example.com/a?b=1" rel="nofollow ugc noopener" target="_blank">link</a>');

    const posted = await postComment(t.app, reader, { site: await newSite(t.db), article: newArticleKey() }, { body });
    expect(posted.html).toBe(html);
    const staff = await preview({ body }).set(bearer(newStaff(t.tokens))).expect(200);
    expect(staff.body.html).toBe(html);
  });

  it('sends script and raw HTML back sanitized', async () => {
    const reader = newUser(t.tokens);
    const body = [
      '<script>alert(1)</script>',
      '<img src=x onerror="alert(2)">',
      '[click](javascript:alert(3))',
      '<a href="https://example.com" onclick="alert(4)">x</a>',
    ].join('\n\n');
    const { html } = PreviewResponse.parse((await preview({ body }).set(bearer(reader)).expect(200)).body);
    // Tags outside the allow-list come back as text; no element carries a handler or a script link.
    expect(html).not.toMatch(/<(script|img)\b/i);
    expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    expect(html).not.toMatch(/href="javascript/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('refuses what posting refuses: empty, too long, NUL, unknown fields', async () => {
    const reader = newUser(t.tokens);
    const refused = async (body: object, field = 'body') => {
      const res = await preview(body).set(bearer(reader)).expect(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((issue: { field: string }) => issue.field)).toContain(field);
      return res.body.error.details.find((issue: { field: string }) => issue.field === field).message as string;
    };
    expect(await refused({ body: '   \n ' })).toBe('must not be empty');
    expect(await refused({ body: 'x'.repeat(5001) })).toBe('must be at most 5000 characters');
    expect(await refused({ body: 'a\u0000b' })).toBe('must not contain NUL characters');
    expect(await refused({})).toBeTruthy();
    await preview({ body: 'ok', article: 'x' }).set(bearer(reader)).expect(400);
    // Exactly at the limit is fine.
    await preview({ body: 'x'.repeat(5000) }).set(bearer(reader)).expect(200);
  });

  it('stores nothing', async () => {
    const reader = newUser(t.tokens);
    const marker = `preview-only-${randomUUID()}`;
    await preview({ body: `**${marker}**` }).set(bearer(reader)).expect(200);
    const found = await sql<{ n: number }>`
      select (select count(*) from comments.comments where body like ${`%${marker}%`})
           + (select count(*) from comments.article_events where payload::text like ${`%${marker}%`})
           + (select count(*) from comments.moderation_actions where details::text like ${`%${marker}%`} or reason like ${`%${marker}%`}) as n`.execute(t.db);
    expect(Number(found.rows[0]!.n)).toBe(0);
  });

  it('has its own generous budget per user: 429 with Retry-After past it, and posting is not charged for it', async () => {
    const limited = t.withEnv({ PREVIEW_RATE_LIMIT: '3', PREVIEW_RATE_WINDOW_SECONDS: '60', COMMENT_RATE_LIMIT: '1' });
    const reader = newUser(t.tokens);
    for (let i = 0; i < 3; i++) await request(limited).post('/api/preview').set(bearer(reader)).send({ body: `try ${i}` }).expect(200);
    const res = await request(limited).post('/api/preview').set(bearer(reader)).send({ body: 'once more' }).expect(429);
    expect(res.body.error.code).toBe('rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Another user has their own budget; this user's posting budget is untouched.
    await request(limited).post('/api/preview').set(bearer(newUser(t.tokens))).send({ body: 'mine' }).expect(200);
    const where = { site: await newSite(t.db), article: newArticleKey() };
    await request(limited).post(`/api/sites/${where.site}/articles/${where.article}/comments`).set(bearer(reader)).send({ body: 'posted' }).expect(201);
  });

  it('is in the API document', () => {
    const doc = buildOpenApiDocument({ routes: { comments: routes } });
    const operation = doc.paths['/api/preview']?.post as { operationId: string; responses: Record<string, unknown> } | undefined;
    expect(operation?.operationId).toBe('previewComment');
    expect(Object.keys(operation!.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '429']));
  });
});
