import express from 'express';
import request from 'supertest';
import { errorHandler, requestContext, silentLogger } from '@parley/platform';
import type { AllowedOrigins } from './allowed-origins';
import { cors } from './cors';

const publisher = 'https://news.example';
const siteOrigins: AllowedOrigins = { has: (origin) => origin === publisher, refresh: async () => {}, stop: () => {} };

const app = express();
app.use(requestContext(silentLogger()));
app.use(cors(siteOrigins));
app.use((_req, res) => void res.json({ ok: true }));
app.use(errorHandler());

const preflight = (path: string, origin: string, host = 'comments.example') =>
  request(app).options(path).set('Host', host).set('Origin', origin).set('Access-Control-Request-Method', 'PUT');

describe('CORS on staff paths', () => {
  it.each(['/api/moderation/queue', '/api/moderation/comments/x/remove', '/auth/users', '/auth/users/x/role', '/api/admin/sites'])(
    'refuses %s to a site\'s own publisher origin, preflight and simple request alike',
    async (path) => {
      const refused = await preflight(path, publisher).expect(403);
      expect(refused.body.error.code).toBe('origin_not_allowed');
      const simple = await request(app).get(path).set('Origin', publisher).expect(200);
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    },
  );

  it('lets Parley\'s own pages (same origin as the gateway) call them', async () => {
    // Same-origin calls need no CORS headers; they pass through to the service.
    await request(app).get('/api/moderation/queue').set('Host', 'comments.example').set('Origin', 'https://comments.example').expect(200);
  });

  it('still serves the publisher\'s origin on the reader paths', async () => {
    const response = await preflight('/api/sites/demo/articles/a/comments', publisher).expect(204);
    expect(response.headers['access-control-allow-origin']).toBe(publisher);
    // A path that only starts like a staff one is a reader path.
    await preflight('/api/moderationish', publisher).expect(204);
  });
});
