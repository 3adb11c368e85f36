import { z } from 'zod';
import {
  Article,
  ArticleKey,
  ArticleState,
  ArticleTitle,
  ArticleUrl,
  Comment,
  CommentId,
  Cursor,
  Limit,
  SiteId,
} from './comments';

/* ─── Moderation (under /api/moderation; moderators and admins) ─────────────────────────────── */

export const UserId = z.uuid('must be a user id');

export const ModerationReason = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');

/** `remove` and `reject` say why; the reason goes to the moderation log. */
export const ModerationReasonRequest = z.strictObject({ reason: ModerationReason });
export type ModerationReasonRequest = z.infer<typeof ModerationReasonRequest>;

/** `restore`, `approve` and dismissing reports may carry a note for the log. */
export const OptionalReasonRequest = z.strictObject({ reason: ModerationReason.optional() });
export type OptionalReasonRequest = z.infer<typeof OptionalReasonRequest>;

export const queueTypes = ['reported', 'pending'] as const;
export const QueueType = z.enum(queueTypes);
export type QueueType = z.infer<typeof QueueType>;

/**
 * What the console lists: the two queues (oldest first), and the comments moderators removed or
 * approved (newest first), for a second look and Restore.
 */
export const moderationViews = ['reported', 'pending', 'removed', 'approved'] as const;
export const ModerationView = z.enum(moderationViews);
export type ModerationView = z.infer<typeof ModerationView>;

export const ModerationQueueQuery = z
  .strictObject({
    type: ModerationView,
    site: SiteId.optional(),
    /** One article of `site`. */
    article: ArticleKey.optional(),
    /** Text in the comment or its author's name (case-insensitive). */
    q: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(),
    limit: Limit(100, 20),
    cursor: Cursor.optional(),
  })
  .refine((query) => query.article === undefined || query.site !== undefined, { path: ['article'], message: 'needs site' });
export type ModerationQueueQuery = z.infer<typeof ModerationQueueQuery>;

export const ArticleSummary = z.object({ site: z.string(), key: z.string(), title: z.string().nullable(), url: z.string().nullable() });
export type ArticleSummary = z.infer<typeof ArticleSummary>;

/** Who wrote a queued comment, with what the console needs to judge them. */
export const QueueAuthor = z.object({
  id: z.string(),
  name: z.string(),
  /** Comments by this user in the last 30 days, on every site. */
  recentCount: z.number().int().min(0),
  /** Comments by this user a moderator removed, on every site. */
  removedCount: z.number().int().min(0),
  /** Whether the user is banned from the comment's site right now. */
  banned: z.boolean(),
});

/**
 * One queued comment. Moderators see the comment as written (body, html, author) whatever its
 * status; `reportCount`, `reasons`, `notes` and `firstReportedAt` count open reports only.
 */
export const ModerationQueueItem = z.object({
  comment: Comment,
  article: ArticleSummary,
  parent: Comment.nullable(),
  author: QueueAuthor,
  reportCount: z.number().int().min(0),
  reasons: z.record(z.string(), z.number().int().min(0)),
  notes: z.array(z.string()),
  firstReportedAt: z.iso.datetime().nullable(),
});
export type ModerationQueueItem = z.infer<typeof ModerationQueueItem>;

export const ModerationQueuePage = z.object({
  items: z.array(ModerationQueueItem),
  nextCursor: z.string().nullable(),
  /** How many comments the whole list holds with these filters (every page). */
  total: z.number().int().min(0),
});
export type ModerationQueuePage = z.infer<typeof ModerationQueuePage>;

export const bulkActions = ['approve', 'remove'] as const;
export const BulkModerationRequest = z
  .strictObject({
    action: z.enum(bulkActions),
    ids: z
      .array(CommentId)
      .min(1, 'must list at least one comment id')
      .max(100, 'must list at most 100 comment ids')
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat an id'),
    reason: ModerationReason.optional(),
  })
  .refine((input) => input.action !== 'remove' || input.reason !== undefined, { path: ['reason'], message: 'is required to remove' });
export type BulkModerationRequest = z.infer<typeof BulkModerationRequest>;

export const BulkModerationResponse = z.object({
  results: z.array(
    z.object({ id: z.uuid(), ok: z.boolean(), error: z.object({ code: z.string(), message: z.string() }).optional() }),
  ),
});
export type BulkModerationResponse = z.infer<typeof BulkModerationResponse>;

export const SiteUserParams = z.object({ site: SiteId, userId: UserId });
export const RemoveAllRequest = z.strictObject({
  reason: ModerationReason,
  confirm: z.literal(true, 'must be true: this removes every comment of the user on the site'),
});
export type RemoveAllRequest = z.infer<typeof RemoveAllRequest>;
export const RemoveAllResponse = z.object({ removed: z.array(z.uuid()) });
export type RemoveAllResponse = z.infer<typeof RemoveAllResponse>;

export const UserParams = z.object({ userId: UserId });
export const BanRequest = z.strictObject({
  site: SiteId,
  reason: ModerationReason,
  /** When the ban ends (must be in the future); absent = permanent. */
  until: z.iso.datetime({ offset: true, message: 'must be an ISO date-time' }).optional(),
});
export type BanRequest = z.infer<typeof BanRequest>;
export const UnbanQuery = z.strictObject({ site: SiteId });

export const Ban = z.object({
  id: z.uuid(),
  site: z.string(),
  userId: z.string(),
  /** The name the user last commented under (null: never commented). */
  userName: z.string().nullable(),
  reason: z.string(),
  until: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  moderator: z.object({ id: z.string(), name: z.string() }),
});
export type Ban = z.infer<typeof Ban>;
export const BanResponse = z.object({ ban: Ban });
export type BanResponse = z.infer<typeof BanResponse>;

export const SiteParams = z.object({ site: SiteId });
export const PageQuery = z.strictObject({ limit: Limit(100, 50), cursor: Cursor.optional() });
export type PageQuery = z.infer<typeof PageQuery>;
export const BansPage = z.object({ bans: z.array(Ban), nextCursor: z.string().nullable() });
export type BansPage = z.infer<typeof BansPage>;

export const ArticleModerationRequest = z
  .strictObject({
    state: ArticleState.optional(),
    /** true/false overrides the site's premoderation setting for this article; null follows the site again. */
    premoderation: z.boolean().nullable().optional(),
    /** Staff correct what the first post said the article is; null forgets it. */
    title: ArticleTitle.nullable().optional(),
    url: ArticleUrl.nullable().optional(),
    /**
     * Whether an article nobody has commented on yet is set up by this change (default true, so a
     * discussion can be closed or held before its first comment). `false`: 404 `article_not_found`
     * instead, which is how the console refuses a typo in an article key.
     */
    create: z.boolean().optional(),
  })
  .refine(({ create: _create, ...input }) => Object.values(input).some((value) => value !== undefined), {
    path: ['body'],
    message: 'must change state, premoderation, title or url',
  });
export type ArticleModerationRequest = z.infer<typeof ArticleModerationRequest>;

export const ModeratedArticle = Article.extend({ premoderation: z.boolean().nullable() });

/** The console's articles list: newest articles first, optionally only open or closed ones, or matching a key or title. */
export const ModeratedArticlesQuery = z.strictObject({
  state: ArticleState.optional(),
  q: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(),
  limit: Limit(100, 50),
  cursor: Cursor.optional(),
});
export type ModeratedArticlesQuery = z.infer<typeof ModeratedArticlesQuery>;
export const ModeratedArticleSummary = Article.extend({
  premoderation: z.boolean().nullable(),
  createdAt: z.iso.datetime(),
  /** The time of the article's latest event (a comment, an edit, a close); null before any. */
  lastActivityAt: z.iso.datetime().nullable(),
  pendingCount: z.number().int().min(0),
  reportedCount: z.number().int().min(0),
});
export type ModeratedArticleSummary = z.infer<typeof ModeratedArticleSummary>;
export const ModeratedArticlesPage = z.object({ articles: z.array(ModeratedArticleSummary), nextCursor: z.string().nullable() });
export type ModeratedArticlesPage = z.infer<typeof ModeratedArticlesPage>;
export type ModeratedArticle = z.infer<typeof ModeratedArticle>;
export const ModeratedArticleResponse = z.object({ article: ModeratedArticle });
export type ModeratedArticleResponse = z.infer<typeof ModeratedArticleResponse>;

/**
 * One word-list entry: a single word (letters, digits, apostrophe, hyphen), matched as a whole
 * word; a trailing `*` matches any word starting with it (e.g. Russian endings: "идиот*").
 */
export const WordListEntry = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[\p{L}\p{N}'-]+\*?$/u, 'must be one word (letters, digits, "\'" or "-"), optionally ending in "*"');
export const WordLists = z.strictObject({
  banned: z.array(WordListEntry).max(1000, 'must have at most 1000 words'),
  suspect: z.array(WordListEntry).max(1000, 'must have at most 1000 words'),
});
export type WordLists = z.infer<typeof WordLists>;
/**
 * A save of the word lists. `version`: the version the editor loaded; when someone saved since,
 * the save is refused with 409 `stale_version` instead of overwriting their words. Without it the
 * lists are replaced unconditionally (scripts).
 */
export const WordListsUpdate = WordLists.extend({ version: z.number().int().min(0).optional() });
export type WordListsUpdate = z.infer<typeof WordListsUpdate>;
export const WordListsResponse = z.object({
  wordLists: WordLists,
  updatedAt: z.iso.datetime().nullable(),
  /** Bumped by every save; 0 before the first. */
  version: z.number().int().min(0),
});
export type WordListsResponse = z.infer<typeof WordListsResponse>;

export const moderationActionTypes = [
  'comment.remove',
  'comment.restore',
  'comment.approve',
  'comment.reject',
  'reports.dismiss',
  'comment.undo',
  'user.note',
  'user.ban',
  'user.unban',
  'user.remove_all',
  'article.update',
  'word_lists.update',
  'site.create',
  'site.update',
] as const;
export const ModerationActionType = z.enum(moderationActionTypes);
export type ModerationActionType = z.infer<typeof ModerationActionType>;

export const ModerationAction = z.object({
  id: z.uuid(),
  moderator: z.object({ id: z.string(), name: z.string() }),
  action: ModerationActionType,
  targetType: z.enum(['comment', 'user', 'article', 'site']),
  /** A comment id, a user id, an article key (on `site`) or a site id. */
  targetId: z.string(),
  site: z.string().nullable(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
  /**
   * What the entry is about, for the log in words: the person (a comment's author, a banned
   * user) and the article (a comment's, or the article changed); null where there is none.
   */
  subject: z.object({ userId: z.string().nullable(), userName: z.string().nullable(), article: ArticleSummary.nullable() }),
});
export type ModerationAction = z.infer<typeof ModerationAction>;

export const ModerationLogQuery = z.strictObject({ site: SiteId.optional(), limit: Limit(100, 50), cursor: Cursor.optional() });
export type ModerationLogQuery = z.infer<typeof ModerationLogQuery>;
export const ModerationLogPage = z.object({ entries: z.array(ModerationAction), nextCursor: z.string().nullable() });
export type ModerationLogPage = z.infer<typeof ModerationLogPage>;

/** A note about a person that other moderators of the site see (kept in the moderation log). */
export const UserNoteRequest = z.strictObject({
  site: SiteId,
  note: z.string().trim().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters'),
});
export type UserNoteRequest = z.infer<typeof UserNoteRequest>;
export const PersonRecordQuery = z.strictObject({ site: SiteId.optional() });
/** What moderators know about a person on the sites in view: active bans, notes, and the latest actions on them or their comments. */
export const PersonRecord = z.object({
  userId: z.string(),
  /** The name they last commented under (null: never commented). */
  name: z.string().nullable(),
  bans: z.array(Ban),
  notes: z.array(ModerationAction),
  actions: z.array(ModerationAction),
});
export type PersonRecord = z.infer<typeof PersonRecord>;

export const AuthorHistoryQuery = z.strictObject({ site: SiteId.optional(), limit: Limit(100, 20), cursor: Cursor.optional() });
export type AuthorHistoryQuery = z.infer<typeof AuthorHistoryQuery>;
export const AuthorHistoryPage = z.object({
  items: z.array(z.object({ comment: Comment, article: ArticleSummary })),
  nextCursor: z.string().nullable(),
});
export type AuthorHistoryPage = z.infer<typeof AuthorHistoryPage>;
