import express from 'express';
import { buildOpenApiDocument } from './document';
import { docsStylesheet, renderDocsPage } from './html';
import type { OpenApiDocument } from './types';

export interface OpenApiRoutesOptions {
  /** The public origin to name in the document's `servers` (e.g. from the gateway's config). */
  serverUrl?: string;
}

/**
 * `GET /openapi.json`, `GET /docs` and `GET /docs/docs.css`. The document is built on the first
 * request and kept: it only changes with the code. The page is plain HTML with a same-origin
 * stylesheet, so it works under the gateway's `default-src 'self'` CSP.
 */
export function openApiRoutes(options: OpenApiRoutesOptions = {}): express.Router {
  const router = express.Router();
  let document: OpenApiDocument | undefined;
  let json: string | undefined;
  // The page links its stylesheet by absolute path, which depends on where the router is mounted.
  const pages = new Map<string, string>();
  const theDocument = () => (document ??= buildOpenApiDocument(options));

  router.get('/openapi.json', (_req, res) => {
    json ??= JSON.stringify(theDocument());
    // A public description of a public API: any tool on any origin may read it.
    res.set({ 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=300' }).type('application/json').send(json);
  });

  router.get('/docs', (req, res) => {
    let page = pages.get(req.baseUrl);
    if (page === undefined) {
      page = renderDocsPage(theDocument(), { stylesheetHref: `${req.baseUrl}/docs/docs.css`, documentHref: `${req.baseUrl}/openapi.json` });
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
