import { randomUUID } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { createAuthApp, type AuthApp } from '@parley/auth';
import { loadAuthConfig } from '@parley/auth/src/config';
import { createCommentsApp, type CommentsApp } from '@parley/comments';
import { loadCommentsConfig } from '@parley/comments/src/config';
import { openTestDatabase, type TestDatabase } from '@parley/db';
import { silentLogger } from '@parley/platform';
import { createGatewayApp } from '@parley/gateway';
import { loadGatewayConfig } from '@parley/gateway/src/config';
import { createTestTokens, generateSigningKeyPem } from '@parley/tokens';
import { buildOpenApiDocument } from './document';
import { openApiRoutes } from './router';
import type { OperationObject } from './types';

/*
 * Keeps the route table honest: the routes mounted on real auth and comments apps (built on the
 * test database, as their own tests build them) must be exactly the auth and comments routes the
 * document describes, and each must authenticate the way the document says.
 */

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

const joinPath = (prefix: string, path: string) => `${prefix}/${path}`.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
/** express `/comments/:id` → OpenAPI `/comments/{id}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** Every `METHOD /path` mounted on an express app, walking nested routers. */
function mountedRoutes(app: express.Express): string[] {
  return walkApp(app).routes;
}

/**
 * Routes (`METHOD /path`), and the prefixes of middleware mounted on a path (proxies, static
 * folders): those answer a whole family of paths without a route of their own.
 */
function walkApp(app: express.Express): { routes: string[]; mounts: string[] } {
  const found: string[] = [];
  const mounts = new Set<string>();
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) {
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on && method !== '_all') found.push(`${method.toUpperCase()} ${openApiPath(joinPath(prefix, path))}`);
          }
        }
      } else if (layer.handle?.stack) {
        if (typeof layer.rawPath !== 'string') throw new Error(`a router is mounted on a non-string path (${String(layer.rawPath)}); teach walkApp about it`);
        walk(layer.handle.stack, joinPath(prefix, layer.rawPath));
      } else {
        const paths = Array.isArray(layer.rawPath) ? layer.rawPath : [layer.rawPath];
        for (const path of paths) if (typeof path === 'string' && path !== '/') mounts.add(joinPath(prefix, path));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return { routes: [...new Set(found)].sort(), mounts: [...mounts].sort() };
}

/**
 * Not part of the public contract: each service's own health checks (the gateway's are
 * documented), Prometheus `/metrics` (answered to private-network scrapers only) and
 * `/internal/*` (service to service; the gateway never proxies it).
 */
const notPublic = (route: string) => / \/(healthz|readyz|metrics)$/.test(route) || / \/internal(\/|$)/.test(route);

const document = buildOpenApiDocument();
const documented = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, path, method, operation: operation as OperationObject })),
);
const documentedBy = (service: 'auth' | 'comments' | 'gateway') =>
  documented
    .filter(({ operation }) => operation['x-parley-service'] === service)
    .map(({ route }) => route)
    .sort();

/** A concrete URL for a documented path: well-formed ids so validation passes and the auth step is what answers. */
const concrete = (path: string) =>
  path.replace(/\{(id|userId)\}/g, () => randomUUID()).replace('{site}', `site-${randomUUID()}`).replace('{article}', 'an-article');

describe('the document covers every route the services expose', () => {
  let database: TestDatabase;
  let auth: AuthApp;
  let comments: CommentsApp;
  const tokens = createTestTokens();

  beforeAll(async () => {
    database = await openTestDatabase();
    auth = createAuthApp({ config: loadAuthConfig({}), database: database.source, logger: silentLogger(), signingKeyPem: generateSigningKeyPem() });
    comments = createCommentsApp({ config: loadCommentsConfig({}), database: database.source, logger: silentLogger(), tokenVerifier: tokens.verifier });
  });

  afterAll(async () => {
    await comments?.stop();
    await auth?.stop();
    await database?.close();
  });

  it('lists the auth service routes, and only those', () => {
    const mounted = mountedRoutes(auth.app);
    expect(mounted).toEqual(expect.arrayContaining(['GET /healthz', 'POST /auth/login']));
    expect(mounted.filter((route) => !notPublic(route))).toEqual(documentedBy('auth'));
  });

  it('lists the comments service routes, and only those', () => {
    const mounted = mountedRoutes(comments.app);
    expect(mounted).toEqual(expect.arrayContaining(['GET /internal/allowed-origins', 'POST /api/moderation/comments/{id}/remove']));
    expect(mounted.filter((route) => !notPublic(route))).toEqual(documentedBy('comments'));
  });

  it('lists what the gateway serves itself, and a path under each family it proxies or serves from a folder', async () => {
    const gateway = createGatewayApp({ config: loadGatewayConfig({}), logger: silentLogger() });
    try {
      const { routes, mounts } = walkApp(gateway.app);
      const docs = express();
      docs.use(openApiRoutes());
      // The docs routes are this package's own, for the gateway to mount at its root.
      const served = [...routes.filter((route) => !notPublic(route) || / \/(healthz|readyz)$/.test(route)), ...mountedRoutes(docs)];
      const gatewayDocumented = documentedBy('gateway');
      expect(gatewayDocumented).toEqual(expect.arrayContaining([...new Set(served)]));
      expect(mounts).toEqual(expect.arrayContaining(['/api', '/auth', '/socket.io']));
      for (const mount of mounts) {
        expect({ mount, documented: documented.some(({ path }) => path === mount || path.startsWith(`${mount}/`)) }).toEqual({ mount, documented: true });
      }
      // And the other way: every path the gateway answers itself is a route or lies under a mount.
      for (const route of gatewayDocumented) {
        const path = route.slice(route.indexOf(' ') + 1);
        const answered = served.includes(route) || mounts.some((mount) => path === mount || path.startsWith(`${mount}/`));
        expect({ route, answered }).toEqual({ route, answered: true });
      }
    } finally {
      await gateway.stop();
    }
  });

  it('sends every /auth and /api path to the service the gateway proxies it to', () => {
    for (const { route, operation } of documented) {
      const expected = route.includes(' /auth/') ? 'auth' : route.includes(' /api/') ? 'comments' : 'gateway';
      expect({ route, service: operation['x-parley-service'] }).toEqual({ route, service: expected });
    }
  });

  it('says which routes need a token: they answer 401 without one, the others never do', async () => {
    for (const { path, method, route, operation } of documented) {
      const service = operation['x-parley-service'];
      if (service === 'gateway') continue;
      const app = service === 'auth' ? auth.app : comments.app;
      const response = await request(app)[method as 'get'](concrete(path)).send({});
      const expected = operation['x-parley-auth'] === 'required' ? 401 : 'not 401';
      expect({ route, status: response.status === 401 ? 401 : 'not 401' }).toEqual({ route, status: expected });
      if (response.status === 401) expect(response.body.error.code).toBe('unauthenticated');
    }
  });

  it('says which routes are for staff: a reader is refused with 403 forbidden', async () => {
    const reader = tokens.sign({ sub: randomUUID(), role: 'reader' });
    const moderator = tokens.sign({ sub: randomUUID(), role: 'moderator' });
    const registered = await request(auth.app)
      .post('/auth/register')
      .send({ email: `reader-${randomUUID()}@example.com`, password: 'correct horse battery', displayName: 'Docs Reader' });
    expect(registered.status).toBe(201);
    const authReader = registered.body.accessToken as string;

    for (const { path, method, route, operation } of documented) {
      const roles = operation['x-parley-roles'];
      const service = operation['x-parley-service'];
      if (!roles || service === 'gateway') continue;
      const app = service === 'auth' ? auth.app : comments.app;
      // The weakest role the document leaves out: a reader, or a moderator where only admins may.
      const token = service === 'auth' ? authReader : roles.includes('moderator') ? reader : moderator;
      const response = await request(app)[method as 'get'](concrete(path)).set('Authorization', `Bearer ${token}`).send({});
      expect({ route, status: response.status, code: response.body?.error?.code }).toEqual({ route, status: 403, code: 'forbidden' });
    }
  });
});
