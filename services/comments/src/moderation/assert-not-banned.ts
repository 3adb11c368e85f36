import { AppError } from '@parley/platform';
import type { Db } from '../database/tables';
import { findActiveBan } from './bans.repository';

/**
 * Refuses a write by a user banned from the site: 403 `banned`, saying until when. Posting,
 * editing, reacting and reporting call it inside their transaction, so a ban applies from the
 * very next request.
 */
export async function assertNotBanned(db: Db, siteId: string, userId: string, now: Date): Promise<void> {
  const ban = await findActiveBan(db, siteId, userId, now);
  if (!ban) return;
  const until = ban.until ? ban.until.toISOString() : null;
  throw new AppError(
    403,
    'banned',
    until ? `You are banned from this site until ${until}.` : 'You are banned from this site.',
    { site: siteId, until },
  );
}
