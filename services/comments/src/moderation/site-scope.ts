import { moderatesSite, siteRefusal, type Viewer } from '@parley/contracts';
import { forbidden } from '@parley/platform';

/** Refuses a staff viewer acting on a site they do not moderate (admins moderate every site). */
export function assertModerates(viewer: Viewer, siteId: string): void {
  if (!moderatesSite(viewer, siteId)) throw forbidden(siteRefusal(siteId));
}

/**
 * The sites a list (queue, log, history) may show this viewer: the one asked for, if they
 * moderate it; else every site they moderate (undefined: every site at all).
 */
export function sitesInView(viewer: Viewer, requested: string | undefined): readonly string[] | undefined {
  if (requested !== undefined) {
    assertModerates(viewer, requested);
    return [requested];
  }
  if (viewer.role === 'admin' || viewer.sites.includes('*')) return undefined;
  return viewer.sites;
}
