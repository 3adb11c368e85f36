import { randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '@parley/contracts';
import { connect, type DatabaseSource } from '@parley/db';
import { insertUser } from './accounts/accounts.repository';
import { createPasswordHasher } from './accounts/passwords';
import { normalizeEmail } from './accounts/user';
import { schema } from './database';
import type { AuthDatabase } from './database/tables';

export interface DemoAccount {
  email: string;
  role: Role;
  displayName: string;
  password: string;
}

/** The demo logins (embedded mode and `pnpm db:seed` only); the launcher prints them. */
export const demoAccounts: readonly DemoAccount[] = Object.freeze([
  { email: 'reader@example.com', role: 'reader', displayName: 'Demo Reader', password: 'parley-demo' },
  { email: 'moderator@example.com', role: 'moderator', displayName: 'Demo Moderator', password: 'parley-demo' },
  { email: 'admin@example.com', role: 'admin', displayName: 'Demo Admin', password: 'parley-demo' },
]);

/**
 * The demo staff's authenticator secret (demo data only, printed by the launcher): a staff session
 * needs a code (second-factor/), and a demo should work the moment it starts, so the seeded
 * moderator and admin come enrolled with this well-known secret — add it to an authenticator app.
 * A real deployment never seeds; its staff enrol on their first console sign-in.
 */
export const demoTotpSecret = 'PARLEYDEMOSTAFFTOTPSECRETFORDEMO';

/** Creates the demo accounts that don't exist yet; accounts that do are left exactly as they are. */
export async function seedDemoAccounts(database: DatabaseSource): Promise<void> {
  const connection = connect<AuthDatabase>(database);
  const db = connection.withSchema(schema);
  const passwords = createPasswordHasher();
  try {
    for (const account of demoAccounts) {
      const exists = await db
        .selectFrom('users')
        .select('id')
        .where('email_normalized', '=', normalizeEmail(account.email))
        .executeTakeFirst();
      if (exists) continue;
      // insertUser ignores a conflict, so two launchers seeding at once still end with one account.
      const created = await insertUser(db, {
        id: randomUUID(),
        email: account.email,
        email_normalized: normalizeEmail(account.email),
        password_hash: await passwords.hash(account.password),
        display_name: account.displayName,
        role: account.role,
        // The demo moderator moderates the demo site only (staff are per site; admins are global).
        moderated_sites: account.role === 'moderator' ? ['demo'] : [],
        // Demo addresses receive no mail; the demo vouches for them, so a site that requires a
        // confirmed email still lets the demo logins post.
        email_verified_at: new Date(),
      });
      if (created && account.role !== 'reader') {
        await db.insertInto('second_factors').values({ user_id: created.id, totp_secret: demoTotpSecret, confirmed_at: new Date() }).execute();
      }
    }
  } finally {
    await connection.destroy();
  }
}

/** The demo site's sign-on key: the demo news site signs its readers' tokens with it. */
export const demoSsoKid = 'courier-demo';

/**
 * Makes sure site `demo` has the sign-on secret the demo news site ("The Kestrelford Courier")
 * signs its subscribers' tokens with, and returns it (demo only: a real publisher gets its secret
 * once, from the admin API). The same secret is kept across restarts.
 */
export async function seedDemoSsoKey(database: DatabaseSource, siteId = 'demo'): Promise<{ kid: string; secret: string }> {
  const connection = connect<AuthDatabase>(database);
  const db = connection.withSchema(schema);
  try {
    await db
      .insertInto('sso_keys')
      .values({ id: randomUUID(), site_id: siteId, kid: demoSsoKid, kind: 'secret', secret: randomBytes(32).toString('base64url'), jwks_url: null, created_by: null })
      .onConflict((conflict) => conflict.columns(['site_id', 'kid']).doNothing())
      .execute();
    const row = await db.selectFrom('sso_keys').select(['kid', 'secret']).where('site_id', '=', siteId).where('kid', '=', demoSsoKid).executeTakeFirstOrThrow();
    return { kid: row.kid, secret: row.secret! };
  } finally {
    await connection.destroy();
  }
}
