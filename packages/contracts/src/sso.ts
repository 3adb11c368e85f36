import { z } from 'zod';
import { DisplayName, Email } from './auth';
import { SiteId } from './comments';

/**
 * Publisher single sign-on: a news site signs a short-lived token about its logged-in reader, and
 * Parley exchanges it for a participant session of that reader (POST /auth/sso). The site's keys are
 * kept by the auth service and administered by admins (`/auth/admin/sites/:site/sso-keys`).
 */

/** `secret`: an HS256 secret Parley generates. `jwks`: the publisher's JWKS URL (RS256 or ES256 keys). */
export const ssoKeyKinds = ['secret', 'jwks'] as const;
export const SsoKeyKind = z.enum(ssoKeyKinds);
export type SsoKeyKind = z.infer<typeof SsoKeyKind>;

/** A key id as it appears in a token's header: short, URL-safe. */
export const SsoKid = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'must be letters, digits, ".", "_" or "-"');

/** https only; plain http only on this machine (tests and development). */
export const JwksUrl = z
  .string()
  .max(2000, 'must be at most 2000 characters')
  .refine((value) => URL.canParse(value), 'must be a URL like https://news.example.com/.well-known/jwks.json')
  .refine((value) => {
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    if (url.username || url.password) return false;
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
  }, 'must be an https URL without credentials (plain http only for 127.0.0.1 or localhost)');

export const SsoKeyParams = z.object({ site: SiteId });
export const SsoKeyIdParams = z.object({ site: SiteId, kid: SsoKid });

export const CreateSsoKeyRequest = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('secret'), /** Chosen by Parley when left out. */ kid: SsoKid.optional() }),
  z.strictObject({ kind: z.literal('jwks'), jwksUrl: JwksUrl, kid: SsoKid.optional() }),
]);
export type CreateSsoKeyRequest = z.infer<typeof CreateSsoKeyRequest>;

/** A key as listed: never its secret. */
export const SsoKey = z.object({
  kid: SsoKid,
  kind: SsoKeyKind,
  /** For `jwks` keys: where the publisher's public keys are fetched from. */
  jwksUrl: z.string().optional(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type SsoKey = z.infer<typeof SsoKey>;

export const SsoKeysResponse = z.object({ keys: z.array(SsoKey) });
export type SsoKeysResponse = z.infer<typeof SsoKeysResponse>;

/** The one answer that carries a secret: store it in the publisher's server now, it is never shown again. */
export const SsoKeyCreated = z.object({ key: SsoKey, secret: z.string().optional() });
export type SsoKeyCreated = z.infer<typeof SsoKeyCreated>;

export const SsoExchangeRequest = z.strictObject({
  site: SiteId,
  token: z.string().min(1, 'is required').max(8192, 'is too long to be a sign-on token'),
});
export type SsoExchangeRequest = z.infer<typeof SsoExchangeRequest>;

/** A badge the publisher gives a reader ("Subscriber"): short visible text. */
export const Badge = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((badge) => !/[\p{Cc}\p{Cf}]/u.test(badge), 'must not contain control or invisible characters')
  .refine((badge) => [...badge].length <= 24, 'must be at most 24 characters');

const HttpsUrl = z
  .string()
  .max(500, 'must be at most 500 characters')
  .refine((value) => URL.canParse(value) && new URL(value).protocol === 'https:', 'must be an https URL');

/** The most a sign-on token may live (`exp - iat`): it is handed over by a page, so it should be used at once. */
export const ssoTokenMaxLifetimeSeconds = 600;

/**
 * The claims of a publisher's sign-on token (after its signature is checked). Optional profile
 * claims left out keep what Parley has; `null` clears them.
 */
export const SsoTokenClaims = z.object({
  /** The reader's id in the publisher's system; with the site it names the Parley account. */
  sub: z.string().min(1, 'must not be empty').max(255, 'must be at most 255 characters'),
  name: DisplayName,
  email: Email.nullable().optional(),
  avatar: HttpsUrl.nullable().optional(),
  badge: Badge.nullable().optional(),
  iat: z.number().int('must be whole seconds'),
  exp: z.number().int('must be whole seconds'),
  jti: z.string().min(1, 'must not be empty').max(255, 'must be at most 255 characters'),
  /** When present: the site id the token is for. */
  aud: z.union([z.string(), z.array(z.string())]).optional(),
});
export type SsoTokenClaims = z.infer<typeof SsoTokenClaims>;
