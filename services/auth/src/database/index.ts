import type { Migration } from 'kysely';
import { migration as users } from './migrations/2026_11_28_0001_users';
import { migration as refreshTokens } from './migrations/2026_11_28_0002_refresh_tokens';
import { migration as sessionScope } from './migrations/2026_12_01_0003_session_scope';
import { migration as loginAddresses } from './migrations/2026_12_01_0004_login_addresses';
import { migration as moderatedSites } from './migrations/2026_12_01_0005_moderated_sites';
import { migration as publisherSignOn } from './migrations/2026_12_01_0006_publisher_sign_on';
import { migration as secondFactor } from './migrations/2026_12_01_0007_second_factor';
import { migration as oidcLogin } from './migrations/2026_12_02_0008_oidc_login';
import { migration as mail } from './migrations/2026_12_02_0010_mail';
import { migration as emailLinks } from './migrations/2026_12_02_0011_email_links';
import { migration as notifications } from './migrations/2026_12_02_0012_notifications';
import { migration as importedAuthorClaims } from './migrations/2026_12_07_0201_imported_author_claims';
import { migration as followAndQueueMail } from './migrations/2026_12_07_0301_follow_and_queue_mail';

export type { AuthDatabase } from './tables';

/** The PostgreSQL schema this service owns; no other service reads or writes it. */
export const schema = 'auth';

/** Applied in name order; names are never changed once shipped. */
export const migrations: Record<string, Migration> = {
  '2026_11_28_0001_users': users,
  '2026_11_28_0002_refresh_tokens': refreshTokens,
  '2026_12_01_0003_session_scope': sessionScope,
  '2026_12_01_0004_login_addresses': loginAddresses,
  '2026_12_01_0005_moderated_sites': moderatedSites,
  '2026_12_01_0006_publisher_sign_on': publisherSignOn,
  '2026_12_01_0007_second_factor': secondFactor,
  '2026_12_02_0008_oidc_login': oidcLogin,
  '2026_12_02_0010_mail': mail,
  '2026_12_02_0011_email_links': emailLinks,
  '2026_12_02_0012_notifications': notifications,
  '2026_12_07_0201_imported_author_claims': importedAuthorClaims,
  '2026_12_07_0301_follow_and_queue_mail': followAndQueueMail,
};
