import type { Kysely } from 'kysely';
import type { AuthDatabase } from '../database/tables';

type Db = Kysely<AuthDatabase>;

/** Records a sign-on token's jti until it expires; false when the site has seen it already (a replay). */
export async function rememberSignOnToken(db: Db, siteId: string, jti: string, expiresAt: Date): Promise<boolean> {
  const row = await db
    .insertInto('sso_seen_tokens')
    .values({ site_id: siteId, jti, expires_at: expiresAt })
    .onConflict((conflict) => conflict.columns(['site_id', 'jti']).doNothing())
    .returning('jti')
    .executeTakeFirst();
  return row !== undefined;
}

/** Tokens past their expiry can't be replayed anyway: their jti need not be kept. */
export async function forgetExpiredSignOnTokens(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('sso_seen_tokens').where('expires_at', '<', before).execute();
}
