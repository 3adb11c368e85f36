import { z } from 'zod';

/** Site ids and article keys appear in URLs; keep them to a safe, bounded alphabet. */
export const SiteId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, "-" or "_"');

export const ArticleKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:~-]*$/, 'must be letters, digits, ".", "_", ":", "~" or "-"');

export const CommentId = z.uuid('must be a comment id');

export const commentBodyMaxLength = 5000;
export const CommentBody = z
  .string()
  .max(commentBodyMaxLength * 2, `must be at most ${commentBodyMaxLength} characters`)
  .transform((body) => body.replace(/\r\n?/g, '\n').trim())
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .refine((body) => [...body].length <= commentBodyMaxLength, `must be at most ${commentBodyMaxLength} characters`),
  );

export const sorts = ['newest', 'oldest', 'top'] as const;
export const ThreadSort = z.enum(sorts);
export type ThreadSort = z.infer<typeof ThreadSort>;

const Limit = (max: number, fallback: number) =>
  z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`).default(fallback);

export const Cursor = z.string().min(1).max(512);

export const ThreadParams = z.object({ site: SiteId, article: ArticleKey });
export const ThreadQuery = z.strictObject({
  sort: ThreadSort.default('newest'),
  limit: Limit(100, 20),
  cursor: Cursor.optional(),
});
export type ThreadQuery = z.infer<typeof ThreadQuery>;

export const RepliesParams = z.object({ id: CommentId });
export const RepliesQuery = z.strictObject({
  limit: Limit(100, 20),
  cursor: Cursor.optional(),
});
export type RepliesQuery = z.infer<typeof RepliesQuery>;

export const CommentParams = z.object({ id: CommentId });

/**
 * An article's address on the publisher's site: http(s) only, so it can be a link anywhere
 * (`javascript:`, `data:` or `file:` would run or leak when the console puts it in an href).
 */
export const ArticleUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2000, 'must be at most 2000 characters');
export const ArticleTitle = z.string().trim().min(1, 'must not be empty').max(300, 'must be at most 300 characters');

export const PostCommentRequest = z.strictObject({
  body: CommentBody,
  parentId: CommentId.optional(),
  /** Optional article metadata, used when this post creates the article. */
  title: z.string().trim().max(300, 'must be at most 300 characters').optional(),
  url: ArticleUrl.optional(),
});
export type PostCommentRequest = z.infer<typeof PostCommentRequest>;

export const EditCommentRequest = z.strictObject({ body: CommentBody });
export type EditCommentRequest = z.infer<typeof EditCommentRequest>;

export const CountsParams = z.object({ site: SiteId });
export const CountsQuery = z.strictObject({
  articles: z
    .string()
    .min(1, 'must list at least one article key')
    .transform((list) => [...new Set(list.split(',').map((key) => key.trim()).filter(Boolean))])
    .pipe(z.array(ArticleKey).min(1, 'must list at least one article key').max(100, 'must list at most 100 article keys')),
});
export type CountsQuery = z.infer<typeof CountsQuery>;

export const commentStatuses = ['published', 'pending', 'removed', 'deleted'] as const;
export const CommentStatus = z.enum(commentStatuses);
export type CommentStatus = z.infer<typeof CommentStatus>;

export const articleStates = ['open', 'closed'] as const;
export const ArticleState = z.enum(articleStates);

export const Author = z.object({ id: z.string(), name: z.string() });

/**
 * A comment as every reader sees it. Tombstones (removed or deleted) keep their place in the
 * thread but carry no author, body or html.
 */
export interface Comment {
  id: string;
  parentId: string | null;
  rootId: string | null;
  depth: number;
  author: { id: string; name: string } | null;
  body: string;
  html: string;
  status: CommentStatus;
  replyCount: number;
  reactionCount: number;
  createdAt: string;
  editedAt: string | null;
  /** Present on top-level comments in a thread page: the first direct replies, oldest first. */
  replies?: Comment[];
  /** Present only when the request was authenticated: whether the viewer reacted to this comment. */
  reacted?: boolean;
}
export const Comment: z.ZodType<Comment> = z.lazy(() =>
  z.object({
    id: z.uuid(),
    parentId: z.uuid().nullable(),
    rootId: z.uuid().nullable(),
    depth: z.number().int().min(0),
    author: Author.nullable(),
    body: z.string(),
    html: z.string(),
    status: CommentStatus,
    replyCount: z.number().int().min(0),
    reactionCount: z.number().int().min(0),
    createdAt: z.iso.datetime(),
    editedAt: z.iso.datetime().nullable(),
    replies: z.array(Comment).optional(),
    reacted: z.boolean().optional(),
  }),
);

export const Article = z.object({
  site: z.string(),
  key: z.string(),
  title: z.string().nullable(),
  url: z.string().nullable(),
  state: ArticleState,
  commentCount: z.number().int().min(0),
  /** The article's latest event sequence number; live clients resume from it. */
  seq: z.number().int().min(0),
});
export type Article = z.infer<typeof Article>;

export const ThreadPage = z.object({
  article: Article,
  comments: z.array(Comment),
  nextCursor: z.string().nullable(),
});
export type ThreadPage = z.infer<typeof ThreadPage>;

export const RepliesPage = z.object({
  comments: z.array(Comment),
  nextCursor: z.string().nullable(),
});
export type RepliesPage = z.infer<typeof RepliesPage>;

export const CommentResponse = z.object({ comment: Comment });
export type CommentResponse = z.infer<typeof CommentResponse>;

export const CountsResponse = z.object({ counts: z.record(z.string(), z.number().int().min(0)) });
export type CountsResponse = z.infer<typeof CountsResponse>;

/** Kinds of change recorded in `article_events`, the same names the live stream will push. */
export const articleEventTypes = [
  'comment:created',
  'comment:updated',
  'comment:removed',
  'reaction:updated',
  'article:updated',
] as const;
export const ArticleEventType = z.enum(articleEventTypes);
export type ArticleEventType = z.infer<typeof ArticleEventType>;

/**
 * Per-site settings stored with the site. Anything left out falls back to the comments service's
 * configuration (e.g. EDIT_WINDOW_SECONDS).
 */
export const SiteSettings = z.object({
  /** How long after posting an author may still edit a comment. */
  editWindowSeconds: z.number().int().min(0).max(7 * 24 * 3600).optional(),
  /** Hold new comments for a moderator before they are shown (an article may override it). */
  premoderation: z.boolean().optional(),
  /** A published comment with this many open reports is held (status pending) until a moderator decides. */
  reportsToPending: z.number().int().min(1).max(1000).optional(),
  /** Posting to an article whose first comment is older than this many days closes it (lazily, on that post). */
  autoCloseAfterDays: z.number().int().min(1).max(3650).optional(),
});
export type SiteSettings = z.infer<typeof SiteSettings>;

/** Internal (never proxied): every origin any site allows, for the gateway's CORS decisions. */
export const AllowedOriginsResponse = z.object({ origins: z.array(z.string()) });
export type AllowedOriginsResponse = z.infer<typeof AllowedOriginsResponse>;

/** What `PUT`/`DELETE /api/comments/:id/reaction` answer: the viewer's reaction and the new count. */
export const ReactionResponse = z.object({
  commentId: z.uuid(),
  reactionCount: z.number().int().min(0),
  reacted: z.boolean(),
});
export type ReactionResponse = z.infer<typeof ReactionResponse>;

export const reportReasons = ['spam', 'abuse', 'off_topic', 'other'] as const;
export const ReportReason = z.enum(reportReasons);
export type ReportReason = z.infer<typeof ReportReason>;

export const ReportRequest = z.strictObject({
  reason: ReportReason,
  note: z.string().trim().max(500, 'must be at most 500 characters').optional(),
});
export type ReportRequest = z.infer<typeof ReportRequest>;

export const ReportResponse = z.object({
  report: z.object({ id: z.uuid(), commentId: z.uuid(), reason: ReportReason, createdAt: z.iso.datetime() }),
});
export type ReportResponse = z.infer<typeof ReportResponse>;

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

export const ModerationQueueQuery = z.strictObject({
  type: QueueType,
  site: SiteId.optional(),
  limit: Limit(100, 20),
  cursor: Cursor.optional(),
});
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

export const ModerationQueuePage = z.object({ items: z.array(ModerationQueueItem), nextCursor: z.string().nullable() });
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
  })
  .refine((input) => Object.values(input).some((value) => value !== undefined), {
    path: ['body'],
    message: 'must change state, premoderation, title or url',
  });
export type ArticleModerationRequest = z.infer<typeof ArticleModerationRequest>;

export const ModeratedArticle = Article.extend({ premoderation: z.boolean().nullable() });
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
export const WordListsResponse = z.object({ wordLists: WordLists, updatedAt: z.iso.datetime().nullable() });
export type WordListsResponse = z.infer<typeof WordListsResponse>;

export const moderationActionTypes = [
  'comment.remove',
  'comment.restore',
  'comment.approve',
  'comment.reject',
  'reports.dismiss',
  'user.ban',
  'user.unban',
  'user.remove_all',
  'article.update',
  'word_lists.update',
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
});
export type ModerationAction = z.infer<typeof ModerationAction>;

export const ModerationLogQuery = z.strictObject({ site: SiteId.optional(), limit: Limit(100, 50), cursor: Cursor.optional() });
export type ModerationLogQuery = z.infer<typeof ModerationLogQuery>;
export const ModerationLogPage = z.object({ entries: z.array(ModerationAction), nextCursor: z.string().nullable() });
export type ModerationLogPage = z.infer<typeof ModerationLogPage>;

export const AuthorHistoryQuery = z.strictObject({ site: SiteId.optional(), limit: Limit(100, 20), cursor: Cursor.optional() });
export type AuthorHistoryQuery = z.infer<typeof AuthorHistoryQuery>;
export const AuthorHistoryPage = z.object({
  items: z.array(z.object({ comment: Comment, article: ArticleSummary })),
  nextCursor: z.string().nullable(),
});
export type AuthorHistoryPage = z.infer<typeof AuthorHistoryPage>;
