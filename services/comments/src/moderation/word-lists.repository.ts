import type { Db, WordListsTable } from '../database/tables';
import type { Selectable } from 'kysely';

export type WordListsRow = Selectable<WordListsTable>;

export async function findWordLists(db: Db, siteId: string, options: { forUpdate?: boolean } = {}): Promise<WordListsRow | undefined> {
  const query = db.selectFrom('word_lists').selectAll().where('site_id', '=', siteId);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export async function saveWordLists(
  trx: Db,
  lists: { siteId: string; banned: string[]; suspect: string[]; updatedBy: string; at: Date; expectedVersion?: number | undefined },
): Promise<WordListsRow | undefined> {
  const expected = lists.expectedVersion;
  return trx
    .insertInto('word_lists')
    .values({ site_id: lists.siteId, banned: lists.banned, suspect: lists.suspect, updated_by: lists.updatedBy, updated_at: lists.at })
    .onConflict((oc) => {
      const update = oc.column('site_id').doUpdateSet((eb) => ({
        banned: eb.ref('excluded.banned'),
        suspect: eb.ref('excluded.suspect'),
        updated_by: eb.ref('excluded.updated_by'),
        updated_at: eb.ref('excluded.updated_at'),
        version: eb(eb.ref('word_lists.version'), '+', 1),
      }));
      // A conditional save changes nothing (and returns no row) when someone saved since.
      return expected === undefined ? update : update.where('word_lists.version', '=', expected);
    })
    .returningAll()
    .executeTakeFirst();
}
