import type { ColumnType } from 'kysely';
import type { Role, Scope } from '@parley/contracts';
import type { MailOutboxTable } from '@parley/mail';

/** Row shapes of the `auth` schema, as the migrations create them. */
export interface UsersTable {
  id: string;
  email: string;
  /** The login email, lowercased; null for a publisher's reader, who never logs in with a password. */
  email_normalized: string | null;
  /** Null for a publisher's reader: no password can ever log them in. */
  password_hash: string | null;
  display_name: string;
  role: Role;
  /** A moderator's sites (`*`: every site); empty for readers and admins. */
  moderated_sites: ColumnType<string[], string[] | undefined, string[]>;
  /** Who vouches for the account when it is not Parley: `sso:<site>` or an OpenID Connect issuer; with the subject, its key. */
  identity_issuer: ColumnType<string | null, string | null | undefined, string | null>;
  identity_subject: ColumnType<string | null, string | null | undefined, string | null>;
  /** The site whose sign-on created the account (its `idp` is `sso:<site>`). */
  identity_site: ColumnType<string | null, string | null | undefined, string | null>;
  /** The `iat` of the newest sign-on token applied: older ones don't overwrite the profile. */
  identity_updated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  avatar_url: ColumnType<string | null, string | null | undefined, string | null>;
  badge: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the login email was confirmed by a mailed link; null until then (and for a publisher's reader). */
  email_verified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The language of the account's mail and link pages (en, ru). */
  locale: ColumnType<string, string | undefined, string>;
  /** Mail when someone replies to the account's comments (on until unsubscribed). */
  notify_replies: ColumnType<boolean, boolean | undefined, boolean>;
  /** Mail digests of discussions the account follows (on until unsubscribed). */
  notify_follows: ColumnType<boolean, boolean | undefined, boolean>;
  /** Staff: mail about new items in their moderation queue (off until they opt in). */
  notify_queue: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: ColumnType<Date, Date | undefined, Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface RefreshTokensTable {
  id: string;
  token_hash: string;
  family_id: string;
  user_id: string;
  /** Every token of a family has the scope the family was opened with. */
  scope: ColumnType<Scope, Scope | undefined, never>;
  created_at: ColumnType<Date, Date | undefined, never>;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

export interface LoginAddressesTable {
  user_id: string;
  /** SHA-256 of the account id and the address: enough to recognise it, not to read it back. */
  address_hash: string;
  last_success_at: Date;
}

/** A site's publisher sign-on keys: an HS256 secret Parley generated, or the publisher's JWKS URL. */
export interface SsoKeysTable {
  id: string;
  site_id: string;
  kid: string;
  kind: 'secret' | 'jwks';
  secret: string | null;
  jwks_url: string | null;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** Sign-on tokens already exchanged, kept until they expire, so none is used twice. */
export interface SsoSeenTokensTable {
  site_id: string;
  jti: string;
  expires_at: Date;
}

/** Who changed what in auth's administration (SSO keys): never a secret. */
export interface AuditLogTable {
  id: string;
  at: ColumnType<Date, Date | undefined, never>;
  actor_id: string | null;
  action: string;
  site_id: string | null;
  target: string | null;
  details: ColumnType<Record<string, unknown>, Record<string, unknown> | undefined, never>;
}

/** A staff account's authenticator app (second-factor/second-factor.service.ts). */
export interface SecondFactorsTable {
  user_id: string;
  /**
   * The TOTP shared secret, in base32. Not hashed, unlike passwords and recovery codes: checking a
   * code means computing HMAC(secret, time step) again, so the server must be able to read it.
   */
  totp_secret: string;
  /** Null while enrolment is started but no code has confirmed it yet. */
  confirmed_at: Date | null;
  /** The newest time step a code was accepted for: that code, and every older one, is spent. */
  last_used_step: ColumnType<string | null, number | null | undefined, number | null>;
  created_at: ColumnType<Date, Date | undefined, Date>;
}

/** One-time recovery codes, stored as SHA-256 (they are random, so no slow hash is needed). */
export interface RecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_at: Date | null;
}

/** A mailed link (verify an address, reset a password, confirm a new address): its token hashed, spent once. */
export interface EmailLinksTable {
  token_hash: string;
  user_id: string;
  purpose: 'verify_email' | 'password_reset' | 'email_change';
  /** The address the link was mailed to (for an email change: the new address). */
  email: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** A site's OpenID Connect provider (oidc/): the client secret is written, never answered. */
export interface OidcProvidersTable {
  site_id: string;
  issuer: string;
  client_id: string;
  client_secret: string;
  scopes: string;
  label: string;
  updated_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: Date;
}

/** An OpenID Connect login in flight, found by the hash of its `state`; spent by the callback. */
export interface OidcLoginsTable {
  state_hash: string;
  site_id: string;
  issuer: string;
  nonce: string;
  code_verifier: string;
  redirect_uri: string;
  origin: string;
  return_url: string | null;
  mode: 'popup' | 'redirect';
  expires_at: Date;
}

/** A finished login's code for the publisher's page, by its hash; exchanged once for a session. */
export interface OidcHandoffsTable {
  code_hash: string;
  site_id: string;
  user_id: string;
  origin: string;
  expires_at: Date;
}

/**
 * An account's confirmed address, to be handed to the comments service so that imported authors
 * with it become the account's (imported-authors/). Deleted once comments has answered.
 */
export interface ImportedAuthorClaimsTable {
  id: string;
  user_id: string;
  email: string;
  /** Tries so far; each failure waits longer (30 s doubling to 30 min), without giving up. */
  attempts: ColumnType<number, number | undefined, number>;
  /** When the next try is due; while one is in flight, the end of its lease. */
  due_at: Date;
  /** Why the last try failed (a status or a network error; never the address). */
  last_error: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface AuthDatabase {
  mail_outbox: MailOutboxTable;
  email_links: EmailLinksTable;
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  login_addresses: LoginAddressesTable;
  sso_keys: SsoKeysTable;
  sso_seen_tokens: SsoSeenTokensTable;
  audit_log: AuditLogTable;
  second_factors: SecondFactorsTable;
  recovery_codes: RecoveryCodesTable;
  oidc_providers: OidcProvidersTable;
  oidc_logins: OidcLoginsTable;
  oidc_handoffs: OidcHandoffsTable;
  imported_author_claims: ImportedAuthorClaimsTable;
}
