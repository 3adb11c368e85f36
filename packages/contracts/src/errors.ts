import { z } from 'zod';

/**
 * Every error code the public API can answer with. The widget switches on these, so a code is
 * never renamed once shipped; add new ones instead.
 */
export const errorCodes = [
  'validation_failed',
  'invalid_json',
  'invalid_cursor',
  'payload_too_large',
  'unauthenticated',
  'invalid_token',
  'token_expired',
  'invalid_credentials',
  'invalid_refresh_token',
  'refresh_token_reused',
  'session_revoked',
  'staff_session_required',
  'forbidden',
  'banned',
  'edit_window_expired',
  'not_found',
  'route_not_found',
  'site_not_found',
  'site_exists',
  'comment_not_found',
  'user_not_found',
  'email_taken',
  'already_reported',
  'parent_unavailable',
  'article_closed',
  'invalid_state',
  'banned_word',
  'ban_not_found',
  'article_not_found',
  'stale_version',
  'origin_not_allowed',
  'too_many_articles',
  'rate_limited',
  'bad_gateway',
  'gateway_timeout',
  'service_unavailable',
  'internal_error',
  // Publisher single sign-on (sso.ts): key administration and the token exchange.
  'sso_key_not_found',
  'sso_key_exists',
  'invalid_jwks',
  'sso_token_malformed',
  'sso_unknown_key',
  'sso_bad_signature',
  'sso_token_expired',
  'sso_token_replayed',
  'sso_wrong_site',
  'sso_claims_invalid',
  // OpenID Connect login (oidc.ts): provider administration, the flow and the code exchange.
  'oidc_not_configured',
  'oidc_discovery_failed',
  'oidc_state_invalid',
  'oidc_provider_error',
  'oidc_token_exchange_failed',
  'oidc_id_token_invalid',
  'oidc_code_invalid',
  // Staff second factor (TOTP and recovery codes).
  'invalid_second_factor',
  'second_factor_enrolled',
  'second_factor_not_started',
  'second_factor_staff_only',
  // Mailed links (verification, password reset, email change).
  'invalid_link',
  'link_expired',
  'link_used',
  'email_already_verified',
  // My account (name and password, issue 16).
  'managed_by_publisher',
  'wrong_password',
  // A site that requires a confirmed email before posting (SiteSettings.requireVerifiedEmail).
  'email_unverified',
  // Console imports (imports.ts).
  'import_running',
  'import_not_found',
] as const;

export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** One entry of `details` for `validation_failed`: which field, and what is wrong with it. */
export const FieldIssue = z.object({ field: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof FieldIssue>;
