import { z } from 'zod';
import { ArticleKey, ArticleUrl, SiteId } from './comments';

/**
 * Imports (`pnpm parley import …`): the command line parses an export file locally and hands the
 * comments service whole articles, each written in one transaction. These are the shapes of that
 * exchange; the service validates them like any request (the file is not trusted).
 */

export const importSources = ['disqus', 'wordpress', 'commento', 'parley'] as const;
export const ImportSource = z.enum(importSources);
export type ImportSource = z.infer<typeof ImportSource>;

/** The most of one imported comment's HTML that is kept; longer ones are refused and counted. */
export const importedHtmlMaxLength = 100_000;

export const ImportedAuthor = z.strictObject({
  /** Who they are in the source: a username, else their email, else their name. */
  sourceKey: z.string().min(1).max(400),
  name: z.string().min(1).max(200),
  email: z.string().max(320).nullable(),
});
export type ImportedAuthor = z.infer<typeof ImportedAuthor>;

export const ImportedComment = z.strictObject({
  sourceId: z.string().min(1).max(200),
  /** The source id of the comment it replies to; null for a top-level comment. */
  parentSourceId: z.string().min(1).max(200).nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  author: ImportedAuthor,
  /** The body as the source stored it (HTML); sanitized by the service, never shown as given. */
  html: z.string().max(importedHtmlMaxLength),
  /** published, or a tombstone that keeps its replies in place. */
  status: z.enum(['published', 'deleted', 'removed']),
});
export type ImportedComment = z.infer<typeof ImportedComment>;

export const ImportedArticle = z.strictObject({
  key: ArticleKey,
  title: z.string().max(500).nullable(),
  url: ArticleUrl.nullable(),
  closed: z.boolean(),
  comments: z.array(ImportedComment).max(200_000),
});
export type ImportedArticle = z.infer<typeof ImportedArticle>;

export const ImportBatchRequest = z.strictObject({
  site: SiteId,
  source: ImportSource,
  /** Everything is checked and counted, then rolled back. */
  dryRun: z.boolean().default(false),
  articles: z.array(ImportedArticle).min(1).max(10_000),
});
export type ImportBatchRequest = z.input<typeof ImportBatchRequest>;

/** What one batch did; the command line adds the batches up into its summary. */
export const ImportBatchResult = z.object({
  articles: z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() }),
  comments: z.object({
    imported: z.number().int(),
    tombstones: z.number().int(),
    /** Already there from an earlier import of the same source: left as they are. */
    alreadyImported: z.number().int(),
    /** Replies whose parent is in neither the file nor the article: shown top-level. */
    orphans: z.number().int(),
  }),
  authors: z.object({ created: z.number().int() }),
});
export type ImportBatchResult = z.infer<typeof ImportBatchResult>;

export const ExportRequest = z.strictObject({
  site: SiteId,
  /** Imported authors' emails (the service knows no others). Off unless asked for. */
  includePrivate: z.boolean().default(false),
});
export type ExportRequest = z.input<typeof ExportRequest>;

/** `POST /internal/imported-authors/claim`: an account whose email was just verified takes over its imported history. */
export const ClaimImportedAuthorsRequest = z.strictObject({
  userId: z.string().min(1).max(200),
  email: z.email().max(320),
  emailVerified: z.literal(true),
});
export type ClaimImportedAuthorsRequest = z.infer<typeof ClaimImportedAuthorsRequest>;

/** Why a comment of an export was not imported (the summary counts each). */
export const importSkipReasons = ['spam', 'unapproved', 'pingback', 'duplicate_id', 'empty_id', 'bad_date', 'malformed', 'unknown_thread', 'no_article_key', 'too_long'] as const;
export const ImportSkipReason = z.enum(importSkipReasons);
export type ImportSkipReason = z.infer<typeof ImportSkipReason>;

/** Where in the file: a line and column (JSON read whole has none: its problems name an index). */
export const ImportPlace = z.object({ line: z.number().int(), column: z.number().int() });

/** What a whole import did (the command line prints it; the console shows it). */
export const ImportSummary = z.object({
  source: ImportSource,
  site: SiteId,
  dryRun: z.boolean(),
  bytes: z.number().int(),
  articles: ImportBatchResult.shape.articles.extend({ withoutComments: z.number().int() }),
  comments: ImportBatchResult.shape.comments.extend({ read: z.number().int() }),
  authors: ImportBatchResult.shape.authors,
  skipped: z.partialRecord(ImportSkipReason, z.number().int()),
  /** The first problems (skips and handled mess) with their places; `problemCount` is all of them. */
  problems: z.array(z.object({ place: ImportPlace.optional(), message: z.string() })),
  problemCount: z.number().int(),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

/**
 * `POST /api/admin/sites/:site/imports?format=…&dryRun=true`: the export file is the raw body
 * (any content type but JSON), streamed to a temporary file up to the service's limit.
 */
/** The upload's path (with its query): the gateway streams this body through, the service keeps its JSON parser off it. */
export const importUploadPath = /^\/api\/admin\/sites\/[^/?]+\/imports\/?(?:\?|$)/;

export const ImportUploadQuery = z.strictObject({
  format: ImportSource,
  dryRun: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
});

export const ImportJobParams = z.object({ site: SiteId, id: z.uuid() });

/**
 * An import the console started: `receiving` the file, `running` (reading and writing), then
 * `done` with its summary or `failed` with why (articles written before a failure stay written,
 * each whole; the same upload again finishes the job).
 */
export const ImportJob = z.object({
  id: z.uuid(),
  site: SiteId,
  source: ImportSource,
  dryRun: z.boolean(),
  state: z.enum(['receiving', 'running', 'done', 'failed']),
  /** The file's size in bytes. */
  bytes: z.number().int(),
  progress: z.object({
    /** Bytes of the file read so far. */
    bytesRead: z.number().int(),
    /** Comments read from the file so far. */
    commentsRead: z.number().int(),
    /** Articles handed to the database so far, of `articlesTotal` (known once the file is read). */
    articlesWritten: z.number().int(),
    articlesTotal: z.number().int().nullable(),
    commentsWritten: z.number().int(),
  }),
  summary: ImportSummary.nullable(),
  /** Why a failed import stopped. */
  error: z.string().nullable(),
  startedBy: z.string(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});
export type ImportJob = z.infer<typeof ImportJob>;
export const ImportJobResponse = z.object({ import: ImportJob });
export type ImportJobResponse = z.infer<typeof ImportJobResponse>;
