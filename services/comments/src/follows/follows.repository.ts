import type { Db } from '../database/tables';

export async function isFollowing(db: Db, articleId: string, userId: string): Promise<boolean> {
  const row = await db.selectFrom('article_follows').select('user_id').where('article_id', '=', articleId).where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

export async function follow(db: Db, articleId: string, userId: string, now: Date): Promise<void> {
  await db.insertInto('article_follows').values({ article_id: articleId, user_id: userId, created_at: now }).onConflict((oc) => oc.doNothing()).execute();
}

/** Stops following, and drops what waited for the reader's next digest of the discussion. */
export async function unfollow(db: Db, articleId: string, userId: string): Promise<void> {
  await db.deleteFrom('article_follows').where('article_id', '=', articleId).where('user_id', '=', userId).execute();
  await db.deleteFrom('follow_digest_items').where('article_id', '=', articleId).where('user_id', '=', userId).execute();
}

/** Everything a reader follows goes with their account (POST /api/me/erase). */
export async function unfollowAll(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('article_follows').where('user_id', '=', userId).execute();
  await db.deleteFrom('follow_digest_items').where('user_id', '=', userId).execute();
}
