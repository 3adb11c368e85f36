import type { Db, WordListsTable } from '../database/tables';
import type { Selectable } from 'kysely';

export type WordListsRow = Selectable<WordListsTable>;

export async function findWordLists(db: Db, siteId: string): Promise<WordListsRow | undefined> {
  return db.selectFrom('word_lists').selectAll().where('site_id', '=', siteId).executeTakeFirst();
}

export async function saveWordLists(
  trx: Db,
  lists: { siteId: string; banned: string[]; suspect: string[]; updatedBy: string; at: Date },
): Promise<WordListsRow> {
  return trx
    .insertInto('word_lists')
    .values({ site_id: lists.siteId, banned: lists.banned, suspect: lists.suspect, updated_by: lists.updatedBy, updated_at: lists.at })
    .onConflict((oc) =>
      oc.column('site_id').doUpdateSet((eb) => ({
        banned: eb.ref('excluded.banned'),
        suspect: eb.ref('excluded.suspect'),
        updated_by: eb.ref('excluded.updated_by'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}
