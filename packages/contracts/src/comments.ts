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

/** A page size: a whole number from 1 to `max`, `fallback` when absent. */
export const Limit = (max: number, fallback: number) =>
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

/** `POST /api/preview`: a body as it would be posted (the same rules), rendered and not stored. */
export const PreviewRequest = z.strictObject({ body: CommentBody });
export type PreviewRequest = z.infer<typeof PreviewRequest>;
/** The sanitized HTML the body would be published as, exactly. */
export const PreviewResponse = z.object({ html: z.string() });
export type PreviewResponse = z.infer<typeof PreviewResponse>;

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

/** `badge`: what a publisher's sign-on calls the author ("Subscriber"), shown beside the name. */
export const Author = z.object({ id: z.string(), name: z.string(), badge: z.string().optional() });

/**
 * A comment as every reader sees it. Tombstones (removed or deleted) keep their place in the
 * thread but carry no author, body or html.
 */
export interface Comment {
  id: string;
  parentId: string | null;
  rootId: string | null;
  depth: number;
  author: { id: string; name: string; badge?: string } | null;
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
  /**
   * Why a moderator removed it (status `removed`), only to its author (their own reads: the viewer
   * route, a permalink, replies) and to moderators; never on a shared page or in a live event.
   */
  removalReason?: string;
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
    removalReason: z.string().optional(),
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

/**
 * One comment with what a permalink needs to show it in place (`GET /api/comments/:id`): its
 * article, and its ancestors from the top-level comment down to its parent.
 */
export const CommentContext = z.object({
  article: Article,
  comment: Comment,
  ancestors: z.array(Comment),
});
export type CommentContext = z.infer<typeof CommentContext>;

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
  /**
   * Hold a commenter's comments until this many of theirs have been published on the site (a
   * newcomer's first comments wait for a moderator; trusted regulars post at once). Staff of the
   * site are never held by it. Applies whatever an article's own premoderation says.
   */
  premoderateFirstComments: z.number().int().min(1).max(100).optional(),
  /** A published comment with this many open reports is held (status pending) until a moderator decides. */
  reportsToPending: z.number().int().min(1).max(1000).optional(),
  /** Posting to an article whose first comment is older than this many days closes it (lazily, on that post). */
  autoCloseAfterDays: z.number().int().min(1).max(3650).optional(),
  /** The reasons a moderator picks from when removing a comment (a free note may be added). */
  removalReasons: z.array(z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters')).max(30).optional(),
  /** The site's community guidelines, linked from the widget. */
  guidelinesUrl: ArticleUrl.optional(),
  /** false: readers sign in only through the publisher (SSO); the widget offers no Parley login. */
  ownAccounts: z.boolean().optional(),
  /** Where the widget's "log in" sends a reader for the publisher's own login (SSO sites). */
  loginUrl: ArticleUrl.optional(),
  /** Where "log out" sends a reader after Parley's session ends (SSO sites). */
  logoutUrl: ArticleUrl.optional(),
  /**
   * Posting and replying wait until the reader has confirmed their email by its mailed link
   * (403 `email_unverified`). A reader of this site's own sign-on (SSO or OpenID Connect) counts as
   * confirmed: the publisher vouches for its accounts. Edits, deletions, likes and reports are not held.
   */
  requireVerifiedEmail: z.boolean().optional(),
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

/** `GET /api/me/data`: what the comments service holds about the viewer, for "download my data". */
export const MyDataResponse = z.object({
  comments: z.array(
    z.object({
      id: z.uuid(),
      site: z.string(),
      article: z.string(),
      articleTitle: z.string().nullable(),
      parentId: z.uuid().nullable(),
      body: z.string(),
      status: z.string(),
      createdAt: z.iso.datetime(),
      editedAt: z.iso.datetime().nullable(),
    }),
  ),
  reactions: z.array(z.object({ commentId: z.uuid(), createdAt: z.iso.datetime() })),
  reports: z.array(z.object({ commentId: z.uuid(), reason: z.string(), note: z.string().nullable(), createdAt: z.iso.datetime(), resolved: z.boolean() })),
});
export type MyDataResponse = z.infer<typeof MyDataResponse>;

/** `GET /api/me/comments`: the reader's own comments, newest first, on one site or all of them. */
export const MyCommentsQuery = z.strictObject({ site: SiteId.optional(), limit: Limit(50, 20), cursor: Cursor.optional() });
export type MyCommentsQuery = z.infer<typeof MyCommentsQuery>;
/** How long a comment's excerpt in "My comments" may be, in characters (an ellipsis ends a cut one). */
export const myCommentExcerptLength = 160;
export const MyComment = z.object({
  id: z.uuid(),
  site: z.string(),
  article: z.string(),
  articleTitle: z.string().nullable(),
  articleUrl: z.string().nullable(),
  /** The start of the comment's text (Markdown source, whitespace folded); empty for a tombstone. */
  excerpt: z.string(),
  status: CommentStatus,
  /** Why a moderator removed it (its author may know); null unless removed with a reason. */
  removalReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
  replyCount: z.number().int().nonnegative(),
});
export type MyComment = z.infer<typeof MyComment>;
export const MyCommentsPage = z.object({ comments: z.array(MyComment), nextCursor: z.string().nullable() });
export type MyCommentsPage = z.infer<typeof MyCommentsPage>;

/**
 * `POST /api/me/erase`, before the account itself is deleted (`DELETE /auth/me`): `anonymize` keeps
 * the comments, signed "Deleted account"; `remove` turns them into tombstones (replies keep their
 * place). Reactions go either way; reports stay with moderators, no longer tied to the reader.
 */
export const EraseMyCommentsRequest = z.strictObject({ comments: z.enum(['anonymize', 'remove']) });
export type EraseMyCommentsRequest = z.infer<typeof EraseMyCommentsRequest>;
export const EraseMyCommentsResponse = z.object({ comments: z.number().int().nonnegative() });
