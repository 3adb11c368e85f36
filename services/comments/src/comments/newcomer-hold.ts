import { isStaff, moderatesSite } from '@parley/contracts/policy';
import type { Viewer } from '@parley/tokens';
import type { Db, SiteRow } from '../database/tables';
import { isNewCommenter } from './comments.repository';

/**
 * Whether the site holds this post because its author is new here: the site's
 * `premoderateFirstComments` is set and fewer than that many of the author's comments have been
 * published on it. The site's own staff are trusted from the start. Asked only by sites that use
 * the setting, so other sites' posts keep their round trips (docs/adr/0012).
 */
export async function heldAsNewcomer(db: Db, site: SiteRow, viewer: Viewer): Promise<boolean> {
  const needed = site.settings.premoderateFirstComments;
  if (needed === undefined) return false;
  if (isStaff(viewer.role) && moderatesSite(viewer, site.id)) return false;
  return isNewCommenter(db, site.id, viewer.id, needed);
}
