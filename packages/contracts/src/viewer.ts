import { z } from 'zod';
import { Comment } from './comments';

/**
 * What only one reader knows about a page of a discussion, kept out of the shared (cached) page:
 * `GET /api/sites/:site/articles/:article/viewer` with the page's own `sort`, `limit` and `cursor`.
 */
export const ThreadViewer = z.object({
  /** Comments of that page (top-level and their embedded replies) the viewer has reacted to. */
  reacted: z.array(z.uuid()),
  /**
   * The viewer's own comments on that page that others don't see as written (status `pending`):
   * each replaces the comment of the same id (a held comment others see as a tombstone), or goes
   * where it sorts — among the top-level comments, or under its parent.
   */
  own: z.array(Comment),
  /**
   * The viewer's ban on the article's site, if any (`until` null: permanent), with the moderator's
   * reason, so the widget can say why and until when even after a reload.
   */
  ban: z.object({ until: z.iso.datetime().nullable(), reason: z.string().optional() }).nullable(),
  /**
   * The viewer's own comments anywhere in this article (not only on that page) that a moderator
   * removed, with the moderator's reason: their tombstones say why, to them alone.
   */
  removed: z.array(z.object({ id: z.uuid(), reason: z.string() })).optional(),
  /** How long after posting the reader may edit a comment on this site (seconds), so Edit is offered only then. */
  editWindowSeconds: z.number().int().min(0).optional(),
  /** Whether the viewer follows the discussion (digests of its new comments by mail); false for an article nobody commented on yet. */
  following: z.boolean().optional(),
});
export type ThreadViewer = z.infer<typeof ThreadViewer>;

/** `PUT`/`DELETE /api/sites/:site/articles/:article/follow`: whether the reader now follows the discussion. */
export const FollowResponse = z.object({ following: z.boolean() });
export type FollowResponse = z.infer<typeof FollowResponse>;
