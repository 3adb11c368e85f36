import { myCommentExcerptLength, type EraseMyCommentsRequest, type MyCommentsPage, type MyCommentsQuery, type MyDataResponse } from '@parley/contracts';
import { assertAllowed } from '@parley/platform';
import type { Viewer } from '@parley/tokens';
import { isTombstone, presentComment } from '../comments/comments.presenter';
import { lockedCommentOr404 } from '../comments/locked-comment';
import { unfollowAll } from '../follows/follows.repository';
import type { ServiceContext } from '../context';
import { writeWithEvents } from '../events/event-publisher';
import { queueChanged } from '../moderation/queue-signals';
import { nextPageCursor } from '../moderation/queue.service';
import { siteNotFound } from '../comments/post-comment';
import { findSite } from '../sites/sites.repository';
import { decodeCursor } from '../threads/cursor';
import { listMyComments } from './account.repository';

/** How an erased account's kept comments are signed. */
export const deletedAccountName = 'Deleted account';

/** The start of a comment's text for a list: whitespace folded, cut at a whole character with an ellipsis. */
export function excerpt(body: string): string {
  const chars = [...body.replace(/\s+/g, ' ').trim()];
  return chars.length <= myCommentExcerptLength ? chars.join('') : `${chars.slice(0, myCommentExcerptLength - 1).join('').trimEnd()}…`;
}

/** A reader's own data in the comments service: list it, download it, erase it (GDPR). */
export function accountService(deps: ServiceContext) {
  return {
    /**
     * Signs the reader's earlier comments with the name their token carries (after `PATCH
     * /auth/me` and a refresh), as Disqus does. One transaction per article, under its lock, with a
     * `comment:updated` event per visible comment: live readers redraw them, and the article's seq
     * moves, so its cached pages are replaced. Comments already signed so are left alone, so asking
     * again is harmless. (An erased account cannot ask: its sessions are revoked.)
     */
    async renameMyComments(viewer: Viewer): Promise<{ comments: number }> {
      assertAllowed(viewer, 'account.update', {});
      const name = viewer.name;
      const articles = await deps.db
        .selectFrom('comments')
        .select('article_id')
        .distinct()
        .where('author_id', '=', viewer.id)
        .where('author_name', '!=', name)
        .execute();
      let changed = 0;
      for (const { article_id: articleId } of articles) {
        changed += await writeWithEvents(deps, async (trx, record) => {
          const article = await trx.selectFrom('articles').selectAll().where('id', '=', articleId).forUpdate().executeTakeFirst();
          if (!article) return 0;
          const renamed = await trx
            .updateTable('comments')
            .set({ author_name: name })
            .where('article_id', '=', articleId)
            .where('author_id', '=', viewer.id)
            .where('author_name', '!=', name)
                .returningAll()
            .execute();
          const now = deps.clock();
          // Oldest first, so the article's events follow the thread's order.
          for (const row of renamed.sort((a, b) => a.created_at.getTime() - b.created_at.getTime())) {
            if (row.published_at !== null && !isTombstone(row)) await record({ articleId, change: { type: 'comment:updated', comment: presentComment(row) }, at: now });
          }
          return renamed.length;
        });
      }
      return { comments: changed };
    },

    /**
     * "My comments": the reader's own, newest first, a keyset page at a time. What a tombstone
     * said is not shown (it is erased, or a moderator took it down); a removal's reason is, as
     * it is to its author in the thread.
     */
    async myComments(viewer: Viewer, query: MyCommentsQuery): Promise<MyCommentsPage> {
      assertAllowed(viewer, 'account.read', {});
      const after = query.cursor === undefined ? undefined : decodeCursor('mine', query.cursor);
      if (query.site !== undefined && !(await findSite(deps.db, query.site))) throw siteNotFound(query.site);
      const rows = await listMyComments(deps.db, viewer.id, { siteId: query.site, limit: query.limit + 1, after });
      return {
        comments: rows.slice(0, query.limit).map((row) => ({
          id: row.id,
          site: row.site_id,
          article: row.key,
          articleTitle: row.title,
          articleUrl: row.url,
          excerpt: isTombstone(row) ? '' : excerpt(row.body),
          status: row.status,
          removalReason: row.status === 'removed' ? row.removal_reason : null,
          createdAt: row.created_at.toISOString(),
          replyCount: row.reply_count,
        })),
        nextCursor: nextPageCursor('mine', rows, query.limit),
      };
    },

    async myData(viewer: Viewer): Promise<MyDataResponse> {
      assertAllowed(viewer, 'account.read', {});
      const [comments, reactions, reports] = await Promise.all([
        deps.db
          .selectFrom('comments')
          .innerJoin('articles', 'articles.id', 'comments.article_id')
          .select(['comments.id', 'articles.site_id', 'articles.key', 'articles.title', 'comments.parent_id', 'comments.body', 'comments.status', 'comments.created_at', 'comments.edited_at'])
          .where('comments.author_id', '=', viewer.id)
          .orderBy('comments.created_at')
          .execute(),
        deps.db.selectFrom('reactions').select(['comment_id', 'created_at']).where('user_id', '=', viewer.id).orderBy('created_at').execute(),
        deps.db.selectFrom('reports').select(['comment_id', 'reason', 'note', 'created_at', 'resolved_at']).where('reporter_id', '=', viewer.id).orderBy('created_at').execute(),
      ]);
      return {
        comments: comments.map((row) => ({
          id: row.id,
          site: row.site_id,
          article: row.key,
          articleTitle: row.title,
          parentId: row.parent_id,
          body: row.body,
          status: row.status,
          createdAt: row.created_at.toISOString(),
          editedAt: row.edited_at?.toISOString() ?? null,
        })),
        reactions: reactions.map((row) => ({ commentId: row.comment_id, createdAt: row.created_at.toISOString() })),
        reports: reports.map((row) => ({ commentId: row.comment_id, reason: row.reason, note: row.note, createdAt: row.created_at.toISOString(), resolved: row.resolved_at !== null })),
      };
    },

    /**
     * Erases what the reader wrote, one comment per transaction (each with its article event, so
     * live readers and cached pages follow): `anonymize` keeps the text signed "Deleted account";
     * `remove` leaves a tombstone with its text erased. Their reactions go; their reports stay with
     * the moderators, no longer naming them. Running it again is harmless.
     */
    async erase(viewer: Viewer, { comments: mode }: EraseMyCommentsRequest): Promise<{ comments: number }> {
      assertAllowed(viewer, 'account.delete', {});
      const ids = await deps.db.selectFrom('comments').select('id').where('author_id', '=', viewer.id).orderBy('created_at').execute();
      let changed = 0;
      for (const { id } of ids) {
        const done = await writeWithEvents(deps, async (trx, record, signal) => {
          const { article, comment: row } = await lockedCommentOr404(trx, id);
          const now = deps.clock();
          if (mode === 'anonymize') {
            if (row.author_name === deletedAccountName && row.author_badge === null) return false;
            const updated = await trx.updateTable('comments').set({ author_name: deletedAccountName, author_badge: null }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
            if (row.published_at !== null && !isTombstone(row)) await record({ articleId: article.id, change: { type: 'comment:updated', comment: presentComment(updated) }, at: now });
            return true;
          }
          if (isTombstone(row) && row.body === '') return false;
          const tombstone = await trx
            .updateTable('comments')
            .set({ status: isTombstone(row) ? row.status : 'deleted', deleted_at: row.deleted_at ?? now, body: '', html: '', author_name: deletedAccountName, author_badge: null })
            .where('id', '=', id)
            .returningAll()
            .executeTakeFirstOrThrow();
          if (row.status === 'pending') queueChanged(signal, article.site_id, id, 'pending', 'resolved');
          if (row.published_at !== null && !isTombstone(row)) {
            await record({ articleId: article.id, change: { type: 'comment:removed', comment: presentComment(tombstone) }, at: now, commentCountDelta: row.status === 'published' ? -1 : 0 });
          }
          return true;
        });
        if (done) changed += 1;
      }
      // Reaction counts are kept on the comments; each reaction is undone through its own count.
      const reactions = await deps.db.deleteFrom('reactions').where('user_id', '=', viewer.id).returning('comment_id').execute();
      for (const { comment_id } of reactions) {
        await deps.db.updateTable('comments').set((eb) => ({ reaction_count: eb('reaction_count', '-', 1) })).where('id', '=', comment_id).where('reaction_count', '>', 0).execute();
      }
      // The discussions they followed, and the digests waiting for them, go with the account.
      await unfollowAll(deps.db, viewer.id);
      return { comments: changed };
    },
  };
}
export type AccountService = ReturnType<typeof accountService>;
