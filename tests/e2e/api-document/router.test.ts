import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { routes as authRoutes } from '@parley/auth';
import { routes as commentsRoutes } from '@parley/comments';
import { routes as gatewayRoutes } from '@parley/gateway';
import { buildOpenApiDocument, openApiRoutes, type OpenApiDocument } from '@parley/openapi';
import { errorHandler, requestContext, silentLogger } from '@parley/platform';

const upstreamParts = async () => [buildOpenApiDocument({ routes: { auth: authRoutes } }), buildOpenApiDocument({ routes: { comments: commentsRoutes } })];

/** Mounted as the gateway mounts it: behind helmet with the gateway's CSP. */
function gatewayLike(mount?: string, parts: () => Promise<OpenApiDocument[]> = upstreamParts) {
  const app = express();
  app.use(requestContext(silentLogger()));
  app.use(helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } } }));
  const docs = openApiRoutes({ serverUrl: 'https://comments.example.com', routes: gatewayRoutes, upstreamParts: parts });
  if (mount) app.use(mount, docs);
  else app.use(docs);
  app.use(errorHandler());
  return app;
}

describe('openApiRoutes', () => {
  const app = gatewayLike();

  it('serves the document as JSON, the same object every time', async () => {
    const first = await request(app).get('/openapi.json').expect(200);
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    expect(first.headers['access-control-allow-origin']).toBe('*');
    expect(first.body).toMatchObject({ openapi: '3.1.0', info: { title: 'Parley API' }, servers: [{ url: 'https://comments.example.com' }] });
    expect(first.body.paths).toHaveProperty(['/api/sites/{site}/articles/{article}/comments', 'get']);
    const second = await request(app).get('/openapi.json').expect(200);
    expect(second.text).toBe(first.text);
  });

  it('serves a browsable page with no script and no inline style, under the gateway CSP', async () => {
    const page = await request(app).get('/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const html = page.text;
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).toContain('<link rel="stylesheet" href="/docs/docs.css">');
    // Grouped by tag, each route with its method, path, summary, auth, parameters and schemas.
    expect(html).toContain('id="tag-moderation"');
    expect(html).toMatch(/<span class="method method-post">POST<\/span> <span class="path">\/api\/sites\/\{site\}\/articles\/\{article\}\/comments<\/span>/);
    expect(html).toContain('Post a comment or a reply');
    expect(html).toContain('Bearer token required');
    expect(html).toContain('Bearer token optional');
    expect(html).toContain('moderator or admin');
    expect(html).toContain('<code>cursor</code>');
    expect(html).toContain('<a href="#schema-PostCommentRequest">PostCommentRequest</a>');
    expect(html).toContain('id="schema-Comment"');
    expect(html).toContain('<code>comment:created</code>');
    // Every in-page link lands on something.
    const anchors = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((match) => match[1]));
    const targets = [...new Set([...html.matchAll(/href="#([^"]+)"/g)].map((match) => match[1]))];
    expect(targets.filter((target) => !anchors.has(target))).toEqual([]);
  });

  it('escapes what it prints', async () => {
    const page = await request(app).get('/docs').expect(200);
    // Regex patterns from the schemas hold "<" and "&" nowhere raw; quotes in descriptions are entities.
    const text = page.text.replace(/<\/?[a-z][^>]*>/gi, '').replace(/<!doctype html>/i, '');
    expect(text).not.toMatch(/[<>]/);
  });

  it('serves the stylesheet separately', async () => {
    const css = await request(app).get('/docs/docs.css').expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.text).toContain('.method-get');
  });

  it('links the stylesheet and the document under the path it is mounted on', async () => {
    const page = await request(gatewayLike('/developers')).get('/developers/docs').expect(200);
    expect(page.text).toContain('href="/developers/docs/docs.css"');
    expect(page.text).toContain('href="/developers/openapi.json"');
    await request(gatewayLike('/developers')).get('/developers/docs/docs.css').expect(200);
  });

  it('answers 503 while an upstream cannot describe itself, and the whole document once it can', async () => {
    let upstreamUp = false;
    const app = gatewayLike(undefined, async () => {
      if (!upstreamUp) throw new Error('connect ECONNREFUSED');
      return upstreamParts();
    });
    const down = await request(app).get('/openapi.json').expect(503);
    expect(down.headers['retry-after']).toBeDefined();
    expect(down.body.error.code).toBe('service_unavailable');
    upstreamUp = true;
    const up = await request(app).get('/openapi.json').expect(200);
    expect(up.body.paths).toHaveProperty(['/auth/login', 'post']);
    expect(up.body.paths).toHaveProperty(['/api/moderation/queue', 'get']);
    expect(up.body.paths).toHaveProperty(['/embed.js', 'get']);
  });
});

