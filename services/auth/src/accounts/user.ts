import type { Selectable } from 'kysely';
import type { User } from '@parley/contracts';
import type { UsersTable } from '../database/tables';

/** An account as the service works with it: the public user plus what only auth may see. */
export interface Account extends User {
  passwordHash: string;
}

export type UserRow = Selectable<UsersTable>;

export function toAccount(row: UserRow): Account {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    sites: row.role === 'moderator' ? row.moderated_sites : [],
    passwordHash: row.password_hash,
  };
}

/** The public shape: never the hash. */
export function presentUser(account: User): User {
  return { id: account.id, email: account.email, displayName: account.displayName, role: account.role, sites: account.sites };
}

/** Addresses are unique regardless of case and surrounding spaces. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
