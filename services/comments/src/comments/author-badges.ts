import { moderatesSite, type Viewer } from '@parley/contracts';

/** Words only Parley gives: a publisher's badge that uses them would pass for staff. */
const staffWords = /\b(moderator|moderation|admin|administrator|staff|parley)\b/i;

/**
 * The badge shown beside an author's name on what they post on `siteId`. Staff of that site get
 * Parley's own ("Moderator", "Admin") whatever session they post from — readers should know who
 * moderates them — and a publisher's badge ("Subscriber") is kept unless it imitates staff.
 */
export function authorBadge(viewer: Viewer, siteId: string): string | null {
  if (viewer.role === 'admin') return 'Admin';
  if (viewer.role === 'moderator' && moderatesSite(viewer, siteId)) return 'Moderator';
  if (viewer.badge && !staffWords.test(viewer.badge)) return viewer.badge;
  return null;
}
