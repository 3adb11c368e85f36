import { randomUUID } from 'node:crypto';
import express from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { DisplayName, Email, Password, type User } from '@parley/contracts';
import { connect, type DatabaseSource } from '@parley/db';
import { requireControlToken, toFieldIssues, validationFailed } from '@parley/platform';
import { schema } from '../database';
import type { AuthDatabase } from '../database/tables';
import { emailTaken, commonPassword } from './accounts.service';
import { insertUser } from './accounts.repository';
import { isCommonPassword } from './common-passwords';
import { createPasswordHasher } from './passwords';
import { normalizeEmail, presentUser, toAccount } from './user';

/** What `pnpm parley admin create` sends: the same rules as a registration. */
export const NewAdmin = z.strictObject({ email: Email, password: Password, displayName: DisplayName.default('Admin') });
export type NewAdmin = z.input<typeof NewAdmin>;

/**
 * Creates an admin account: how a deployment gets its first admin (production seeds none). The
 * rules are a registration's (valid email, a password of 10+ characters that is not a common one);
 * an email that already has an account is refused, never silently promoted.
 */
export async function createAdmin(db: Kysely<AuthDatabase>, input: NewAdmin, clock: () => Date = () => new Date()): Promise<User> {
  const parsed = NewAdmin.safeParse(input);
  if (!parsed.success) throw validationFailed(toFieldIssues(parsed.error));
  const { email, password, displayName } = parsed.data;
  if (isCommonPassword(password)) throw commonPassword();
  const now = clock();
  const row = await insertUser(db, {
    id: randomUUID(),
    email,
    email_normalized: normalizeEmail(email),
    password_hash: await createPasswordHasher().hash(password),
    display_name: displayName,
    role: 'admin',
    // The operator who typed the address on the command line vouches for it.
    email_verified_at: now,
    created_at: now,
    updated_at: now,
  });
  if (!row) throw emailTaken();
  return presentUser(toAccount(row));
}

/** `createAdmin` on a database of its own (the CLI with DATABASE_URL, or an embedded folder no Parley has open). */
export async function createAdminIn(database: DatabaseSource, input: NewAdmin): Promise<User> {
  const connection = connect<AuthDatabase>(database);
  try {
    return await createAdmin(connection.withSchema(schema), input);
  } finally {
    await connection.destroy();
  }
}

/**
 * `POST /internal/admins`, for `pnpm parley admin create` while an embedded Parley holds the
 * database (PGlite admits one process). Only mounted when the launcher set a control token, which
 * it keeps in the data folder readable by its owner only; the gateway never proxies /internal.
 */
export function internalAdminRoutes(db: Kysely<AuthDatabase>, controlToken: string, clock: () => Date): express.Router {
  const router = express.Router();
  router.post('/admins', requireControlToken(controlToken), async (req, res) => {
    res.status(201).json({ user: await createAdmin(db, req.body as NewAdmin, clock) });
  });
  return router;
}
