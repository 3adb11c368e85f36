import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CachedPage } from './thread-page-cache';
import { chooseEncoding, matchesVersion } from './negotiation';

/**
 * How long a shared cache (a CDN, nginx's proxy_cache, the browser) may keep an anonymous answer,
 * and serve it stale while it fetches the next one. 0 for both: `no-cache` (revalidate every time).
 */
export interface PublicCaching {
  maxAgeSeconds: number;
  staleWhileRevalidateSeconds: number;
}

export function publicCacheControl({ maxAgeSeconds, staleWhileRevalidateSeconds }: PublicCaching): string {
  if (maxAgeSeconds === 0 && staleWhileRevalidateSeconds === 0) return 'public, no-cache';
  return `public, max-age=${maxAgeSeconds}, stale-while-revalidate=${staleWhileRevalidateSeconds}`;
}

/** Answers that depend on who asks: never stored by anyone. */
export const privateCacheControl = 'private, no-store';

/**
 * Sends a shared page: 304 when the client already holds this version, otherwise the page in the
 * best encoding the client accepts, with the version's ETag. `vary` names the request headers the
 * answer depends on (Accept-Encoding always; Authorization where a token changes the answer).
 */
export async function sendSharedPage(
  req: IncomingMessage,
  res: ServerResponse,
  page: CachedPage,
  options: { cacheControl: string; vary: string },
): Promise<void> {
  const encoding = page.compressible ? chooseEncoding(req.headers['accept-encoding']) : 'identity';
  const headers: Record<string, string | number> = {
    'Cache-Control': options.cacheControl,
    Vary: options.vary,
    ETag: page.etags[encoding],
  };
  if (matchesVersion(req.headers['if-none-match'], Object.values(page.etags))) {
    res.writeHead(304, headers).end();
    return;
  }
  const body = await page.body(encoding);
  headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = body.length;
  if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}
