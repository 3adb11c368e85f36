import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AuthDatabase, EmailLinksTable } from '../database/tables';

type Db = Kysely<AuthDatabase>;
export type EmailLinkRow = Selectable<EmailLinksTable>;
export type LinkPurpose = EmailLinksTable['purpose'];

export async function insertEmailLink(db: Db, link: Insertable<EmailLinksTable>): Promise<void> {
  await db.insertInto('email_links').values(link).execute();
}

/** Spends a link in one statement: only one of two concurrent clicks gets the row. */
export async function spendEmailLink(db: Db, tokenHash: string, purpose: LinkPurpose, now: Date): Promise<EmailLinkRow | undefined> {
  return db
    .updateTable('email_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
}

export async function findEmailLink(db: Db, tokenHash: string, purpose: LinkPurpose): Promise<EmailLinkRow | undefined> {
  return db.selectFrom('email_links').selectAll().where('token_hash', '=', tokenHash).where('purpose', '=', purpose).executeTakeFirst();
}

/** Spends every other open link of a kind (a reset spends the other reset links). */
export async function spendOpenLinks(db: Db, userId: string, purpose: LinkPurpose, now: Date): Promise<void> {
  await db.updateTable('email_links').set({ used_at: now }).where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
}
