import type { ColumnType } from 'kysely';
import type { Role, Scope } from '@parley/contracts';

/** Row shapes of the `auth` schema, as the migrations create them. */
export interface UsersTable {
  id: string;
  email: string;
  email_normalized: string;
  password_hash: string;
  display_name: string;
  role: Role;
  /** A moderator's sites (`*`: every site); empty for readers and admins. */
  moderated_sites: ColumnType<string[], string[] | undefined, string[]>;
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

export interface AuthDatabase {
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  login_addresses: LoginAddressesTable;
}
