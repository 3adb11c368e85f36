import type { SiteDirectory } from '@parley/auth';
import { sitesAdminOn } from '@parley/comments';
import type { DatabaseSource } from '@parley/db';
import { AppError } from '@parley/platform';

/**
 * What auth's site checks need (does this site exist?) when the command line opens the database
 * itself: the comments service's sites on the same database, instead of asking it over HTTP.
 */
export function siteDirectoryOn(database: DatabaseSource): { sites: SiteDirectory; close(): Promise<void> } {
  const comments = sitesAdminOn(database);
  const sites: SiteDirectory = {
    async find(id) {
      try {
        const found = await comments.service.show('system', id);
        return { id: found.id, name: found.name, origins: found.origins };
      } catch (error) {
        if (error instanceof AppError && error.status === 404) return undefined;
        throw error;
      }
    },
  };
  return { sites, close: () => comments.close() };
}
