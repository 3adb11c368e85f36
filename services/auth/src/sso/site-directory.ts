import { z } from 'zod';
import { SiteId } from '@parley/contracts';
import { serviceUnavailable } from '@parley/platform';

/** What auth may know of a site (the comments service owns sites). */
export interface KnownSite {
  id: string;
  name: string;
  /** The origins the site's pages are served from, where the comments service answers them. */
  origins: string[];
}

/** Looks sites up in the comments service; used off the hot path only (key administration, OIDC). */
export interface SiteDirectory {
  /** The site, or undefined when there is none; throws 503 when the comments service cannot be asked. */
  find(siteId: string): Promise<KnownSite | undefined>;
}

const Answer = z.object({
  site: z.object({ id: SiteId, name: z.string(), origins: z.array(z.string()).optional() }),
});

/**
 * Asks the comments service's `GET /internal/sites/:id`, which only processes inside the deployment
 * can reach. `baseUrl` is read at each call: an embedded stack learns the comments port after auth starts.
 */
export function commentsSiteDirectory(baseUrl: () => string, timeoutMs = 3000): SiteDirectory {
  return {
    async find(siteId) {
      let response: Response;
      try {
        response = await fetch(new URL(`/internal/sites/${encodeURIComponent(siteId)}`, baseUrl()), { signal: AbortSignal.timeout(timeoutMs) });
      } catch {
        throw serviceUnavailable('The comments service cannot be reached to check this site; try again shortly.');
      }
      if (response.status === 404) return undefined;
      if (!response.ok) throw serviceUnavailable('The comments service could not check this site; try again shortly.');
      const answer = Answer.safeParse(await response.json().catch(() => undefined));
      if (!answer.success) throw serviceUnavailable('The comments service answered about this site in an unknown shape.');
      return { id: answer.data.site.id, name: answer.data.site.name, origins: answer.data.site.origins ?? [] };
    },
  };
}
