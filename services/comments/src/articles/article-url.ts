import { validationFailed } from '@parley/platform';

/**
 * An article's url must be on the publisher's own site: where the site lists allowed origins, the
 * url's origin is one of them (a reader cannot make a thread point anywhere else). A site without
 * origins (not yet set up for browsers) accepts any http(s) url; the schema already refused others.
 */
export function assertArticleUrlOnSite(url: string | null | undefined, allowedOrigins: readonly string[]): void {
  if (!url || allowedOrigins.length === 0) return;
  if (allowedOrigins.includes(new URL(url).origin)) return;
  throw validationFailed([{ field: 'url', message: `must be on one of the site's origins (${allowedOrigins.join(', ')})` }]);
}
