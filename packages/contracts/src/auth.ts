import { z } from 'zod';

export const roles = ['reader', 'moderator', 'admin'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

/**
 * What a session may do. `participant`: read, post, edit and delete one's own, react, report, one's
 * own account — every session obtained on a publisher's page. `staff`: also moderation and
 * administration, for a staff account's session obtained on Parley's own origin (the console).
 */
export const scopes = ['participant', 'staff'] as const;
export const Scope = z.enum(scopes);
export type Scope = z.infer<typeof Scope>;

/** Letters, digits, punctuation or symbols: a display name must contain at least one of them. */
const visibleCharacter = /[\p{L}\p{N}\p{P}\p{S}]/u;
/** Control and format characters (zero-width joiners, bidi overrides) that would let names impersonate others. */
const invisibleOrControl = /[\p{Cc}\p{Cf}]/u;

export const Email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be a valid email address'));

export const Password = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(256, 'must be at most 256 characters');

export const DisplayName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((name) => !invisibleOrControl.test(name), 'must not contain control or invisible characters')
  .refine((name) => visibleCharacter.test(name), 'must contain visible characters')
  .refine((name) => [...name].length <= 50, 'must be at most 50 characters');

export const RegisterRequest = z.strictObject({
  email: Email,
  password: Password,
  displayName: DisplayName,
});
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const LoginRequest = z.strictObject({
  email: z.string().trim().min(1, 'is required').max(254, 'must be at most 254 characters'),
  password: z.string().min(1, 'is required').max(256, 'must be at most 256 characters'),
  /**
   * A staff account's second factor: the 6-digit code of its authenticator app, or one of its
   * recovery codes (spent by this login). Without it, a staff account gets a participant session.
   */
  code: z.string().trim().max(40, 'is not a code').optional(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const RefreshTokenRequest = z.strictObject({
  refreshToken: z.string().min(1, 'is required').max(200, 'is not a refresh token'),
});
export type RefreshTokenRequest = z.infer<typeof RefreshTokenRequest>;

/** The sites a moderator moderates; `*` is every site. Admins are global and list none. */
export const ModeratedSites = z.array(z.string().regex(/^(\*|[a-z0-9][a-z0-9_-]{0,63})$/, 'must be site ids or *')).max(200);

export const User = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  role: Role,
  /** For a moderator: the sites they moderate (`*`: every site). Empty for readers and admins. */
  sites: ModeratedSites.default([]),
  /** Where the account comes from: absent or `parley` for a Parley account, `sso:<site>` for a publisher's reader (sso.ts). */
  provider: z.string().optional(),
  /** A publisher's reader: the badge the publisher gives them ("Subscriber"), and their picture (https). */
  badge: z.string().optional(),
  avatarUrl: z.string().optional(),
  /** Whether the login email is confirmed by its mailed link (absent for a publisher's reader, whose email is the publisher's). */
  emailVerified: z.boolean().optional(),
});
export type User = z.infer<typeof User>;

export const AuthSession = z.object({
  user: User,
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int().positive(),
  /**
   * Said to a staff account whose session is a participant one on Parley's own origin: `required`
   * — log in again with the code of its authenticator app; `enrol` — it has no second factor yet,
   * set one up (`POST /auth/second-factor/totp`) to get staff powers.
   */
  secondFactor: z.enum(['required', 'enrol']).optional(),
});
export type AuthSession = z.infer<typeof AuthSession>;

/** A staff account's second factor, as `/auth/me` tells it (absent for readers). */
export const SecondFactorStatus = z.object({
  /** Whether an authenticator app is enrolled (and confirmed). */
  totp: z.boolean(),
  /** Recovery codes not spent yet. */
  recoveryCodesLeft: z.number().int().nonnegative(),
});
export type SecondFactorStatus = z.infer<typeof SecondFactorStatus>;

export const MeResponse = z.object({ user: User, secondFactor: SecondFactorStatus.optional() });
export type MeResponse = z.infer<typeof MeResponse>;

/** `parley`, or `sso:<site id>` for an account a publisher's sign-on created. */
export const IdentityProvider = z.string().regex(/^(parley|sso:[a-z0-9][a-z0-9_-]{0,63})$/, 'must be "parley" or "sso:<site>"');
export type IdentityProvider = z.infer<typeof IdentityProvider>;

/** The claims Parley puts in an access token, as every service reads them. */
export const AccessTokenClaims = z.object({
  sub: z.uuid(),
  name: z.string(),
  role: Role,
  /** The session's scope (see Scope): staff powers need `staff` as well as a staff role. */
  scope: Scope,
  /** The session (refresh-token family) the token belongs to, so that revoking the session revokes the token. */
  sid: z.uuid(),
  /** A moderator's sites (`*`: every site); absent for everyone else. */
  sites: ModeratedSites.optional(),
  /**
   * Who vouches for the account: `parley` (its own login) or `sso:<site>` (the publisher of that site,
   * see sso.ts). Optional: tokens issued before publisher sign-on have none and are Parley's.
   */
  idp: IdentityProvider.optional(),
  /** A publisher's badge for the reader ("Subscriber"), shown beside their name. */
  badge: z.string().max(40).optional(),
  /**
   * Whether Parley confirmed the account's login email by its mailed link (OIDC's claim name). False
   * for a publisher's reader, whose address Parley never checked (their site vouches for them: see
   * SiteSettings.requireVerifiedEmail); absent in tokens issued before it existed, read as false.
   */
  email_verified: z.boolean().optional(),
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  jti: z.string(),
  iat: z.number(),
  exp: z.number(),
});
export type AccessTokenClaims = z.infer<typeof AccessTokenClaims>;

export const Jwk = z.looseObject({
  kty: z.string(),
  kid: z.string(),
  alg: z.string(),
  use: z.string().optional(),
});
export const JwksResponse = z.object({ keys: z.array(Jwk) });
export type JwksResponse = z.infer<typeof JwksResponse>;

/** Admin: find an account by email (to grant or revoke the moderator role). */
export const FindUserQuery = z.strictObject({ email: z.string().trim().min(1, 'is required').max(254) });
export type FindUserQuery = z.infer<typeof FindUserQuery>;

export const UserIdParams = z.object({ id: z.uuid('must be a user id') });

export const SetRoleRequest = z
  .strictObject({
    role: Role,
    /** Required for a moderator: the sites they may moderate (`["*"]` for every site). */
    sites: ModeratedSites.optional(),
  })
  .refine((input) => input.role !== 'moderator' || (input.sites !== undefined && input.sites.length > 0), {
    path: ['sites'],
    message: 'must name at least one site (or "*") for a moderator',
  })
  .refine((input) => input.role === 'moderator' || input.sites === undefined || input.sites.length === 0, {
    path: ['sites'],
    message: 'only moderators have sites: admins moderate every site, readers none',
  });
export type SetRoleRequest = z.infer<typeof SetRoleRequest>;

export const UserResponse = z.object({ user: User });
export type UserResponse = z.infer<typeof UserResponse>;

/** Internal (auth → other services): sessions revoked after `since`; ask again with `until`. */
export const RevokedSessionsQuery = z.strictObject({ since: z.iso.datetime({ offset: true }) });
export const RevokedSessionsPage = z.object({
  sessions: z.array(z.object({ id: z.uuid(), revokedAt: z.iso.datetime({ offset: true }) })),
  until: z.iso.datetime({ offset: true }),
});
export type RevokedSessionsPage = z.infer<typeof RevokedSessionsPage>;

/** Enrolment of an authenticator app, started: show the QR code (or the secret), then confirm a code. */
export const TotpEnrolment = z.object({
  /** The shared secret in base32, for typing into an app by hand. */
  secret: z.string(),
  /** The `otpauth://totp/…` URI the QR code holds. */
  otpauthUri: z.string(),
  /** The QR code as an SVG data URL, for an `<img>`. */
  qrCode: z.string(),
});
export type TotpEnrolment = z.infer<typeof TotpEnrolment>;

export const ConfirmTotpRequest = z.strictObject({ code: z.string().trim().regex(/^\d{6}$/, 'must be the 6-digit code of the app') });
export type ConfirmTotpRequest = z.infer<typeof ConfirmTotpRequest>;

export const TotpConfirmed = z.object({
  /** One-time recovery codes, shown this once: each logs in once in place of a code. */
  recoveryCodes: z.array(z.string()),
  /** On Parley's own origin: a staff session, which replaces the participant one the enrolment was made in. */
  session: AuthSession.optional(),
});
export type TotpConfirmed = z.infer<typeof TotpConfirmed>;

/** `POST /auth/password/forgot`: mails a reset link if an account has this email; the answer is the same either way. */
export const ForgotPasswordRequest = z.strictObject({ email: Email });
export type ForgotPasswordRequest = z.infer<typeof ForgotPasswordRequest>;

/** The token of a mailed link: 32 random bytes, base64url. Anything else is answered as an invalid link. */
export const LinkToken = z.string().max(200, 'is not a link token');

/** `POST /auth/password/reset`: the token from the reset link and the new password (spends the link, ends every session). */
export const ResetPasswordRequest = z.strictObject({ token: LinkToken, password: Password });
export type ResetPasswordRequest = z.infer<typeof ResetPasswordRequest>;

/** `POST /auth/email/change`: the new address (confirmed by a link mailed there) and the current password. */
export const EmailChangeRequest = z.strictObject({ email: Email, password: z.string().min(1, 'is required').max(256, 'must be at most 256 characters') });
export type EmailChangeRequest = z.infer<typeof EmailChangeRequest>;

/** `?token=` of a link page; a missing or odd token shows the page's "not valid" answer, never a JSON error. */
export const LinkPageQuery = z.object({ token: z.string().max(200).catch('').default('') });

/** The reset form's post (`application/x-www-form-urlencoded`). */
export const ResetPasswordForm = z.object({ token: z.string().max(200).catch('').default(''), password: z.string().max(1000).catch('').default('') });

/** The answer of mail requests whose outcome is not told (a reset for an unknown email looks the same). */
export const MailQueuedResponse = z.object({ status: z.literal('queued') });

/** A reader's mail settings (`GET`/`PUT /auth/me/notifications`). */
export const NotificationSettings = z.strictObject({
  /** Mail when someone replies to one of my comments. */
  replies: z.boolean(),
  /** Digests of new comments in the discussions I follow. */
  follows: z.boolean(),
  /** Staff only: digests of new items in my moderation queue (absent for readers). */
  queue: z.boolean().optional(),
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;
/** `PUT /auth/me/notifications`: the settings to change (at least one); `queue` only for staff (else 403). */
export const NotificationSettingsUpdate = z
  .strictObject({ replies: z.boolean().optional(), follows: z.boolean().optional(), queue: z.boolean().optional() })
  .refine((body) => Object.keys(body).length > 0, 'name at least one setting');
export type NotificationSettingsUpdate = z.infer<typeof NotificationSettingsUpdate>;
export const NotificationSettingsResponse = z.object({ notifications: NotificationSettings });

/**
 * `POST /internal/notifications/reply` (comments → auth, never through the gateway): someone
 * replied to `recipientId`'s comment. Auth decides whether and where to mail; asked twice for the
 * same reply, it queues one mail.
 */
export const ReplyNotificationRequest = z.strictObject({
  recipientId: z.uuid(),
  replyId: z.uuid(),
  replierName: z.string().min(1).max(100),
  articleTitle: z.string().max(300),
  /** Where the reply can be read (the article page), when the article has a URL. */
  articleUrl: z.url().max(2000).optional(),
  excerpt: z.string().max(1000),
});
export type ReplyNotificationRequest = z.infer<typeof ReplyNotificationRequest>;

/** Most comments a digest mail quotes; `more` counts the rest. */
export const digestMaxComments = 10;

/**
 * `POST /internal/notifications/digest` (comments → auth): new comments in a discussion
 * `recipientId` follows, batched (at most one per follower and discussion every
 * FOLLOW_DIGEST_MINUTES). `digestKey` names the batch: asked twice for it, auth queues one mail.
 */
export const DigestNotificationRequest = z.strictObject({
  recipientId: z.uuid(),
  digestKey: z.string().regex(/^[A-Za-z0-9:_-]{1,100}$/, 'must be 1-100 letters, digits, colons, dashes or underscores'),
  articleTitle: z.string().max(300),
  articleUrl: z.url().max(2000).optional(),
  comments: z.array(z.strictObject({ authorName: z.string().min(1).max(100), excerpt: z.string().max(1000) })).min(1).max(digestMaxComments),
  /** Further new comments the mail does not quote. */
  more: z.number().int().min(0).max(1_000_000),
});
export type DigestNotificationRequest = z.infer<typeof DigestNotificationRequest>;

/**
 * `POST /internal/notifications/queue` (comments → auth): comments that entered the moderation
 * queues (held, or first reported) per site since the window `windowKey` opened, at most one
 * window per FOLLOW_DIGEST_MINUTES. Auth mails each staff member who opted in about their sites.
 */
export const QueueNotificationRequest = z.strictObject({
  windowKey: z.string().regex(/^[A-Za-z0-9:_-]{1,100}$/, 'must be 1-100 letters, digits, colons, dashes or underscores'),
  sites: z.array(z.strictObject({ siteId: z.string().min(1).max(64), siteName: z.string().max(200), newItems: z.number().int().min(1).max(1_000_000) })).min(1).max(1000),
});
export type QueueNotificationRequest = z.infer<typeof QueueNotificationRequest>;

/**
 * `DELETE /auth/me`: deletes the account (after `POST /api/me/erase` dealt with its comments).
 * A Parley account confirms with its password; a publisher's reader, who has none, with the session alone.
 */
export const DeleteAccountRequest = z.strictObject({ password: z.string().min(1, 'is required').max(256, 'must be at most 256 characters').optional() });
export type DeleteAccountRequest = z.infer<typeof DeleteAccountRequest>;

/**
 * `PATCH /auth/me`: a Parley account's new display name (the registration's rules, and no staff
 * titles for readers). A publisher's reader is refused (`managed_by_publisher`): their name is the
 * publisher's. New tokens carry it from the next refresh; `POST /api/me/name` then signs the
 * reader's earlier comments with it.
 */
export const UpdateProfileRequest = z.strictObject({ displayName: DisplayName });
export type UpdateProfileRequest = z.infer<typeof UpdateProfileRequest>;

/**
 * `POST /auth/me/password`: a Parley account's password, confirmed with the current one (a wrong
 * one is `403 wrong_password`, counted per account). Ends every other session; this one goes on.
 */
export const ChangePasswordRequest = z.strictObject({
  currentPassword: z.string().min(1, 'is required').max(256, 'must be at most 256 characters'),
  newPassword: Password,
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

/**
 * Internal (comments → auth): which of these addresses belong to an account that confirmed them,
 * so that authors imported after the account confirmed are claimed too (imports). Never proxied.
 */
export const ConfirmedAccountsRequest = z.strictObject({ emails: z.array(Email).min(1).max(200) });
export const ConfirmedAccountsResponse = z.object({ accounts: z.array(z.object({ email: z.string(), userId: z.uuid() })) });
export type ConfirmedAccountsResponse = z.infer<typeof ConfirmedAccountsResponse>;
