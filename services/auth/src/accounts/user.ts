import type { Selectable } from 'kysely';
import type { User } from '@parley/contracts';
import type { UsersTable } from '../database/tables';

/** An account as the service works with it: the public user plus what only auth may see. */
export interface Account extends User {
  /** Null for a publisher's reader: they never log in with a password. */
  passwordHash: string | null;
}

export type UserRow = Selectable<UsersTable>;

/** `parley` for Parley's own accounts; `sso:<site>` for a reader a publisher's sign-on created. */
export const providerOf = (row: Pick<UserRow, 'identity_site'>): string => (row.identity_site ? `sso:${row.identity_site}` : 'parley');

export function toAccount(row: UserRow): Account {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    sites: row.role === 'moderator' ? row.moderated_sites : [],
    ...(row.identity_site ? { provider: providerOf(row) } : {}),
    ...(row.badge ? { badge: row.badge } : {}),
    ...(row.avatar_url ? { avatarUrl: row.avatar_url } : {}),
    ...(row.password_hash !== null ? { emailVerified: row.email_verified_at !== null } : {}),
    passwordHash: row.password_hash,
  };
}

/** The public shape: never the hash. A publisher's reader also shows where they come from, their badge and picture. */
export function presentUser(account: User): User {
  return {
    id: account.id,
    email: account.email,
    displayName: account.displayName,
    role: account.role,
    sites: account.sites,
    ...(account.provider ? { provider: account.provider } : {}),
    ...(account.badge ? { badge: account.badge } : {}),
    ...(account.avatarUrl ? { avatarUrl: account.avatarUrl } : {}),
    ...(account.emailVerified !== undefined ? { emailVerified: account.emailVerified } : {}),
  };
}

/** Addresses are unique regardless of case and surrounding spaces. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
