import express from 'express';
import { serviceUnavailable, type RouteDoc } from '@parley/platform';
import { buildOpenApiDocument, mergeOpenApiDocuments } from './document';
import { docsStylesheet, renderDocsPage } from './html';
import type { Service } from './tags';
import type { OpenApiDocument } from './types';

export interface OpenApiRoutesOptions {
  /** The public origin to name in the document's `servers` (e.g. from the gateway's config). */
  serverUrl?: string;
  /** The gateway's own route declarations. */
  routes: readonly RouteDoc[];
  /** The upstream services' parts of the document (their `/internal/openapi.json`). */
  upstreamParts?: () => Promise<OpenApiDocument[]>;
}

/**
 * `GET /openapi.json`, `GET /docs` and `GET /docs/docs.css` on the gateway. The document is put
 * together on the first request that can reach every upstream and kept: it only changes with the
 * code. The page is plain HTML with a same-origin stylesheet, so it works under the gateway's
 * `default-src 'self'` CSP.
 */
export function openApiRoutes(options: OpenApiRoutesOptions): express.Router {
  const router = express.Router();
  let document: Promise<OpenApiDocument> | undefined;
  let json: string | undefined;
  // The page links its stylesheet by absolute path, which depends on where the router is mounted.
  const pages = new Map<string, string>();
  const theDocument = async () => {
    document ??= (async () => {
      const own = buildOpenApiDocument({ routes: { gateway: options.routes }, ...(options.serverUrl ? { serverUrl: options.serverUrl } : {}) });
      return mergeOpenApiDocuments([own, ...((await options.upstreamParts?.()) ?? [])]);
    })();
    try {
      return await document;
    } catch {
      // An upstream that is down now may be up on the next request: try again then.
      document = undefined;
      throw serviceUnavailable('The API description is not available while a service is down; try again shortly.');
    }
  };

  router.get('/openapi.json', async (_req, res) => {
    const built = await theDocument();
    json ??= JSON.stringify(built);
    // A public description of a public API: any tool on any origin may read it.
    res.set({ 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=300' }).type('application/json').send(json);
  });

  router.get('/docs', async (req, res) => {
    let page = pages.get(req.baseUrl);
    if (page === undefined) {
      page = renderDocsPage(await theDocument(), { stylesheetHref: `${req.baseUrl}/docs/docs.css`, documentHref: `${req.baseUrl}/openapi.json` });
      // Mount paths are few and fixed; the cap only guards against a pattern mount with many matches.
      if (pages.size < 16) pages.set(req.baseUrl, page);
    }
    res.set('Cache-Control', 'public, max-age=300').type('html').send(page);
  });

  router.get('/docs/docs.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').type('css').send(docsStylesheet);
  });

  return router;
}

/**
 * `GET /openapi.json` of one upstream service (mounted under /internal, which the gateway never
 * proxies): the part of the document its own route declarations make.
 */
export function serviceOpenApiRoutes(service: Exclude<Service, 'gateway'>, routes: readonly RouteDoc[]): express.Router {
  const router = express.Router();
  let json: string | undefined;
  router.get('/openapi.json', (_req, res) => {
    json ??= JSON.stringify(buildOpenApiDocument({ routes: { [service]: routes } }));
    res.type('application/json').send(json);
  });
  return router;
}
