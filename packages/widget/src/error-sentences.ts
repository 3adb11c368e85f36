import type { ErrorCode } from '@parley/contracts';
import type { ClientErrorCode } from './http';
import type { MessageKey } from './i18n';

/**
 * Codes a reader's page never meets: the console's own (adding sites, sign-on keys, bans, the staff
 * second factor, imports; the console shows the server's sentence) and one no longer answered. The
 * widget carries no sentence for them, so readers never download them; should one reach it anyway,
 * it says errGeneric.
 */
export type ErrorCodeNotForReaders =
  | 'site_exists'
  | 'sso_key_not_found'
  | 'sso_key_exists'
  | 'invalid_jwks'
  | 'user_not_found'
  | 'ban_not_found'
  | 'invalid_second_factor'
  | 'second_factor_enrolled'
  | 'second_factor_not_started'
  | 'second_factor_staff_only'
  | 'import_running'
  | 'import_not_found'
  | 'email_already_verified';

/**
 * Which of the widget's own sentences answers each error code the API defines (contracts/errors.ts)
 * and the two the widget adds: the server's `message` is English, for developers, and never reaches
 * the page. Codes a reader's page cannot meet (staff keys, second factor) share a sentence, which
 * keeps the bundle within its budget. i18n.test.ts walks this against the contracts' codes.
 */
export const errorSentences: Record<Exclude<ErrorCode | ClientErrorCode, ErrorCodeNotForReaders>, MessageKey> = {
  validation_failed: 'errInvalid',
  invalid_json: 'errReload',
  invalid_cursor: 'errReload',
  payload_too_large: 'tooLong',
  unauthenticated: 'errLogInFirst',
  invalid_token: 'errSession',
  token_expired: 'errSession',
  invalid_credentials: 'errWrongPassword',
  invalid_refresh_token: 'errSession',
  refresh_token_reused: 'errSession',
  session_revoked: 'errSession',
  staff_session_required: 'errNotAllowed',
  forbidden: 'errNotAllowed',
  banned: 'errBanned',
  edit_window_expired: 'errEditWindow',
  not_found: 'errGone',
  route_not_found: 'errReload',
  site_not_found: 'errNoSite',
  comment_not_found: 'errGone',
  email_taken: 'errEmailTaken',
  already_reported: 'alreadyReported',
  parent_unavailable: 'errGone',
  article_closed: 'errClosed',
  invalid_state: 'errReload',
  banned_word: 'errBannedWord',
  article_not_found: 'errGone',
  stale_version: 'errReload',
  origin_not_allowed: 'errOrigin',
  too_many_articles: 'errGeneric',
  rate_limited: 'errRateLimitedShort',
  bad_gateway: 'errUnavailable',
  gateway_timeout: 'errUnavailable',
  service_unavailable: 'errUnavailable',
  internal_error: 'errGeneric',
  sso_token_malformed: 'errSignOn',
  sso_unknown_key: 'errSignOn',
  sso_bad_signature: 'errSignOn',
  sso_token_expired: 'errSignOn',
  sso_token_replayed: 'errSignOn',
  sso_wrong_site: 'errSignOn',
  sso_claims_invalid: 'errSignOn',
  // OpenID Connect login (the popup's error reaches the page as one of these).
  oidc_not_configured: 'errSignOn',
  oidc_discovery_failed: 'errSignOn',
  oidc_state_invalid: 'errSignOn',
  oidc_provider_error: 'errSignOn',
  oidc_token_exchange_failed: 'errSignOn',
  oidc_id_token_invalid: 'errSignOn',
  oidc_code_invalid: 'errSignOn',
  // Mailed links (email confirmation, password reset).
  invalid_link: 'errLink',
  link_expired: 'errLink',
  link_used: 'errLink',
  managed_by_publisher: 'errPublisher',
  wrong_password: 'errCurrentPassword',
  email_unverified: 'errEmailUnverified',
  network_error: 'errNetwork',
  bad_response: 'errReload',
};
