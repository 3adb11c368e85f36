import { z } from 'zod';
import { SiteId } from './comments';
import { JwksUrl } from './sso';

/**
 * OpenID Connect login against a site's own identity provider (the publisher's "Gazette ID"): the
 * widget opens Parley's start route in a popup, the reader signs in at the provider, Parley's
 * callback checks the id token and hands the widget a short-lived single-use code, which the widget
 * exchanges (POST /auth/oidc/exchange) for a participant session. Configured per site by admins at
 * `/auth/admin/sites/:site/oidc`; the client secret is write-only.
 */

/** The provider's issuer: discovery is fetched from `<issuer>/.well-known/openid-configuration`. */
export const OidcIssuer = JwksUrl;

const ClientId = z.string().trim().min(1, 'is required').max(255, 'must be at most 255 characters');
const ClientSecret = z.string().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters');
/** Space-separated scopes; `openid` is always asked for. */
const Scopes = z
  .string()
  .trim()
  .max(500, 'must be at most 500 characters')
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, 'must be scope names separated by single spaces, like "openid profile email"');
const Label = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(60, 'must be at most 60 characters')
  .refine((label) => !/[\p{Cc}\p{Cf}]/u.test(label), 'must not contain control or invisible characters');

export const OidcProviderParams = z.object({ site: SiteId });

/** Sets (or replaces) the site's provider. `clientSecret` may be left out to keep the one Parley has. */
export const SetOidcProviderRequest = z.strictObject({
  issuer: OidcIssuer,
  clientId: ClientId,
  clientSecret: ClientSecret.optional(),
  scopes: Scopes.optional(),
  /** The button's text in the widget, e.g. "Log in with Gazette ID". */
  label: Label,
});
export type SetOidcProviderRequest = z.infer<typeof SetOidcProviderRequest>;

/** The provider as admins see it: never the client secret. */
export const OidcProvider = z.object({
  issuer: z.string(),
  clientId: z.string(),
  scopes: z.string(),
  label: z.string(),
  /** Register this exact redirect URI with the provider. */
  redirectUri: z.string(),
  /** The id token signing algorithms Parley accepts from this provider (what it advertises, among RS256/ES256/PS256). */
  algorithms: z.array(z.string()),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type OidcProvider = z.infer<typeof OidcProvider>;

export const OidcProviderResponse = z.object({ provider: OidcProvider });
export type OidcProviderResponse = z.infer<typeof OidcProviderResponse>;

/** What the widget needs to offer the login: public. */
/** `label` is null for a site without a provider: every widget asks, and "none" is an answer, not an error. */
export const OidcLoginOption = z.object({ label: z.string().nullable() });
export type OidcLoginOption = z.infer<typeof OidcLoginOption>;

export const OidcStartQuery = z.object({
  /** The publisher page's origin: one of the site's allowed origins; the session is handed only to it. */
  origin: z.string().max(300, 'must be at most 300 characters'),
  /** `popup` (default) or `redirect` (the page itself went to the provider and comes back to `return`). */
  mode: z.enum(['popup', 'redirect']).default('popup'),
  /** The page to come back to (redirect mode, or a popup whose opener is gone): on `origin`. */
  return: z.string().max(2000, 'must be at most 2000 characters').optional(),
});
export type OidcStartQuery = z.infer<typeof OidcStartQuery>;

export const OidcCallbackQuery = z.object({
  state: z.string().max(200).optional(),
  code: z.string().max(4000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
  iss: z.string().max(2000).optional(),
});

export const OidcExchangeRequest = z.strictObject({
  code: z.string().min(1, 'is required').max(200, 'is too long to be a login code'),
});
export type OidcExchangeRequest = z.infer<typeof OidcExchangeRequest>;

/** The message the callback page posts to the publisher's page (to the origin the flow began on only). */
export const OidcLoginMessage = z.object({ type: z.literal('parley:oidc'), site: SiteId, code: z.string().optional(), error: z.string().optional() });
export type OidcLoginMessage = z.infer<typeof OidcLoginMessage>;
