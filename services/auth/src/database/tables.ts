import type { ColumnType } from 'kysely';
import type { Role } from '@parley/contracts';

/** Row shapes of the `auth` schema, as the migrations create them. */
export interface UsersTable {
  id: string;
  email: string;
  email_normalized: string;
  password_hash: string;
  display_name: string;
  role: Role;
  created_at: ColumnType<Date, Date | undefined, Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface RefreshTokensTable {
  id: string;
  token_hash: string;
  family_id: string;
  user_id: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

export interface AuthDatabase {
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
}
