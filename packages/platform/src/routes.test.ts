import { gzipSync } from 'node:zlib';
import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import type { Viewer } from '@parley/contracts';
import { invalidToken } from './errors';
import { errorHandler, jsonBody, listen, requestContext } from './http';
import { createLogger } from './logger';
import { RateLimiter } from './rate-limit';
import { mountRoutes, routesOf } from './routes';

/**
 * The one chain every route gets: rate limit → authenticate → policy → validation → handler, with
 * bad input answered 400 in the contract's shape and nothing reaching the handler.
 */
const reader: Viewer = { id: 'r1', name: 'Reader', role: 'reader', scope: 'participant', sessionId: 's1', sites: [] };
const widgetAdmin: Viewer = { id: 'a1', name: 'Admin', role: 'admin', scope: 'participant', sessionId: 's2', sites: [] };
const consoleAdmin: Viewer = { ...widgetAdmin, scope: 'staff', sessionId: 's3' };
const tokens: Record<string, Viewer> = { reader, widgetAdmin, consoleAdmin };

const calls: string[] = [];
const route = routesOf<{ record(what: string): void }>();
const routes = [
  route({
    method: 'post',
    path: '/notes/:id',
    operationId: 'note',
    summary: 'A note',
    tag: 'Test',
    auth: 'required',
    allow: 'comment.post',
    rateLimit: { limiter: 'notes', per: 'viewer' },
    params: z.object({ id: z.string().regex(/^n\d+$/, 'must be a note id') }),
    body: z.strictObject({ text: z.string().min(1), tags: z.array(z.string()).default([]) }),
    response: { status: 201, description: 'Noted.' },
    handler: ({ viewer, params, body }, deps) => {
      deps.record(`${viewer.id}:${params.id}:${body.text}`);
      return { id: params.id, by: viewer.name };
    },
  }),
  route({
    method: 'delete',
    path: '/users/:id',
    operationId: 'dropUser',
    summary: 'Admins only',
    tag: 'Test',
    auth: 'required',
    allow: 'users.setRole',
    params: z.object({ id: z.string() }),
    response: { status: 204, description: 'Gone.' },
    handler: ({ params }, deps) => {
      deps.record(`drop:${params.id}`);
    },
  }),
  route({
    method: 'get',
    path: '/things/:id',
    operationId: 'thing',
    summary: 'Public',
    tag: 'Test',
    auth: 'optional',
    params: z.object({ id: z.string() }),
    response: { status: 200, description: 'The thing.' },
    handler: ({ viewer, params }) => ({ id: params.id, viewer: viewer?.id ?? null }),
  }),
  route({
    method: 'post',
    path: '/explode',
    operationId: 'explode',
    summary: 'Fails like a database would',
    tag: 'Test',
    auth: 'none',
    response: { status: 200, description: 'Never.' },
    handler: () => {
      throw Object.assign(new Error('duplicate key value violates unique constraint'), {
        code: '23505',
        detail: 'Key (email)=(secret@example.com) already exists.',
        where: 'SQL statement "insert into users values (\'Alice\')"',
      });
    },
  }),
];

const logLines: string[] = [];
function appWith(limit = 100) {
  const app = express();
  app.use(requestContext(createLogger({ service: 'test', level: 'info', destination: { write: (line: string) => void logLines.push(line) } })));
  app.use(jsonBody());
  const router = express.Router();
  mountRoutes(router, routes, {
    deps: { record: (what) => void calls.push(what) },
    authenticate: async (header) => {
      if (!header) return undefined;
      const viewer = tokens[header.replace(/^Bearer /, '')];
      if (!viewer) throw invalidToken();
      return viewer;
    },
    limiters: { notes: new RateLimiter('notes', { points: limit, durationSeconds: 60 }) },
  });
  app.use(router);
  app.use(errorHandler());
  return app;
}

const app = appWith();
const as = (name: string) => ({ Authorization: `Bearer ${name}` });
beforeEach(() => calls.splice(0));

describe('mountRoutes', () => {
  it('hands the handler the parsed input and a typed viewer, and answers with the declared status', async () => {
    const response = await request(app).post('/notes/n1').set(as('reader')).send({ text: 'hello' }).expect(201);
    expect(response.body).toEqual({ id: 'n1', by: 'Reader' });
    expect(calls).toEqual(['r1:n1:hello']);
    await request(app).delete('/users/u1').set(as('consoleAdmin')).expect(204);
    expect((await request(app).get('/things/t1').expect(200)).body).toEqual({ id: 't1', viewer: null });
  });

  it('answers 401 without a token or with a bad one, before looking at the input', async () => {
    expect((await request(app).post('/notes/x').send({})).body.error.code).toBe('unauthenticated');
    expect((await request(app).post('/notes/x').set(as('nobody')).send({})).body.error.code).toBe('invalid_token');
    // A bad token is refused on optional routes too, never treated as anonymous.
    expect((await request(app).get('/things/t1').set(as('nobody'))).status).toBe(401);
    expect(calls).toEqual([]);
  });

  it('asks the policy before validating: a reader learns nothing from a malformed admin call', async () => {
    const refused = await request(app).delete('/users/%20').set(as('reader')).expect(403);
    expect(refused.body.error).toMatchObject({ code: 'forbidden', message: 'This needs an admin account.' });
    const widget = await request(app).delete('/users/u1').set(as('widgetAdmin')).expect(403);
    expect(widget.body.error.code).toBe('staff_session_required');
    expect(calls).toEqual([]);
  });

  it('names every bad field in one 400 and calls nothing', async () => {
    const response = await request(app).post('/notes/x').set(as('reader')).send({ text: '', extra: 1 }).expect(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details.map((issue: { field: string }) => issue.field).sort()).toEqual(['body', 'id', 'text']);
    expect(calls).toEqual([]);
  });

  it('answers a NUL character anywhere in the input with 400 naming where, never reaching the database', async () => {
    const response = await request(app).post('/notes/n1').set(as('reader')).send({ text: 'a\u0000b', tags: ['ok', 'x\u0000'] }).expect(400);
    expect(response.body.error.details).toEqual([
      { field: 'text', message: 'must not contain NUL characters' },
      { field: 'tags.1', message: 'must not contain NUL characters' },
    ]);
    await request(app).get('/things/a%00b').expect(400);
    expect(calls).toEqual([]);
  });

  it('answers a malformed %-escape in the path and a body that is not what its Content-Encoding says with 400', async () => {
    const path = await request(app).get('/things/%ZZ').expect(400);
    expect(path.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('%-escape') });
    const notGzip = await request(app).post('/notes/n1').set(as('reader')).set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('{"text":"x"}');
    expect({ status: notGzip.status, code: notGzip.body.error.code }).toEqual({ status: 400, code: 'invalid_json' });
    // A body that really is gzip is read as usual.
    const server = await listen(app, 0);
    try {
      const realGzip = await fetch(`http://127.0.0.1:${server.port}/notes/n1`, {
        method: 'POST',
        headers: { ...as('reader'), 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify({ text: 'zipped' })),
      });
      expect(realGzip.status).toBe(201);
    } finally {
      await server.close();
    }
  });

  it('counts a viewer\'s requests against the route\'s limiter and answers 429 with Retry-After', async () => {
    const strict = appWith(2);
    for (let i = 0; i < 2; i += 1) await request(strict).post('/notes/n1').set(as('reader')).send({ text: 'again' }).expect(201);
    const limited = await request(strict).post('/notes/n1').set(as('reader')).send({ text: 'again' }).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await request(strict).post('/notes/n1').set(as('consoleAdmin')).send({ text: 'another viewer' }).expect(201);
  });

  it('fails at start-up when a route names a limiter that is not mounted', () => {
    expect(() =>
      mountRoutes(express.Router(), routes, { deps: { record: () => {} }, authenticate: async () => undefined, limiters: {} }),
    ).toThrow(/rate limiter "notes"/);
  });

  it('logs an unexpected error with its code and stack, but not the values a database error quotes', async () => {
    logLines.splice(0);
    const response = await request(app).post('/explode').expect(500);
    expect(response.body.error.code).toBe('internal_error');
    const logged = logLines.join('\n');
    expect(logged).toContain('23505');
    expect(logged).not.toContain('secret@example.com');
    expect(logged).not.toContain('Alice');
  });
});
