import type { SiteSettings } from '@parley/contracts';
import { AppError } from '@parley/platform';
import type { Viewer } from '@parley/tokens';

export const emailUnverified = () =>
  new AppError(
    403,
    'email_unverified',
    'This site asks commenters to confirm their email address first: open the link mailed at registration (POST /auth/email/verification mails it again), then refresh the session.',
  );

/**
 * A site with `requireVerifiedEmail` takes new comments and replies only from a reader whose email
 * Parley confirmed (the access token's `email_verified`, read fresh by auth at each refresh) or a
 * reader of the site's own sign-on: the publisher vouches for its accounts. A publisher's reader
 * of another site is vouched for by nobody here. Read from the token: comments never asks auth on
 * the posting path.
 */
export function assertMayPostHere(site: { id: string; settings: SiteSettings }, viewer: Viewer): void {
  if (!site.settings.requireVerifiedEmail || viewer.emailVerified) return;
  if (viewer.provider === `sso:${site.id}`) return;
  throw emailUnverified();
}
