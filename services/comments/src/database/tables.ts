import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { CommentStatus, ImportJob, ImportSummary, ModerationActionType, SiteSettings } from '@parley/contracts';

/** Row types of the `comments` schema, as kysely sees them (snake_case, like the columns). */

type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface SitesTable {
  id: string;
  name: string;
  allowed_origins: ColumnType<string[], string[] | undefined, string[]>;
  settings: ColumnType<SiteSettings, SiteSettings | undefined, SiteSettings>;
  created_at: CreatedAt;
}

export interface ArticlesTable {
  id: Generated<string>;
  site_id: string;
  key: string;
  url: string | null;
  title: string | null;
  state: ColumnType<'open' | 'closed', 'open' | 'closed' | undefined, 'open' | 'closed'>;
  comment_count: Generated<number>;
  last_seq: Generated<number>;
  /** null: the site's premoderation setting applies. */
  premoderation: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  created_at: CreatedAt;
}

export interface CommentsTable {
  id: Generated<string>;
  article_id: string;
  parent_id: string | null;
  root_id: string | null;
  depth: number;
  author_id: string;
  author_name: string;
  /** The publisher's badge for the author when they posted (sign-on); null for everyone else. */
  author_badge: ColumnType<string | null, string | null | undefined, string | null>;
  body: string;
  html: string;
  status: CommentStatus;
  reply_count: Generated<number>;
  reaction_count: Generated<number>;
  created_at: CreatedAt;
  edited_at: Date | null;
  deleted_at: Date | null;
  /** When readers first saw it; null while it never was (held for premoderation, then rejected or deleted). */
  published_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  open_reports: Generated<number>;
  /** When the first of its open reports came in; null without open reports. */
  reported_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Where an imported comment came from ('disqus', …) and its id there; null for comments posted here. */
  import_source: ColumnType<string | null, string | null | undefined, string | null>;
  import_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The moderator's reason while the comment stays removed (status `removed`); null otherwise. Its author sees it. */
  removal_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ImportedAuthorsTable {
  id: Generated<string>;
  site_id: string;
  source: string;
  source_key: string;
  name: string;
  email: string | null;
  claimed_by: ColumnType<string | null, string | null | undefined, string | null>;
  claimed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When to ask auth whether an account confirmed this email (imports/account-matcher.ts); null once asked. */
  account_match_due: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: CreatedAt;
}

/** A console import (docs/adr/0016): its progress and summary as the contracts' ImportJob has them. */
export interface ImportJobsTable {
  id: string;
  site_id: string;
  source: string;
  dry_run: boolean;
  state: 'receiving' | 'running' | 'done' | 'failed';
  bytes: ColumnType<string, number | undefined, number>;
  progress: ColumnType<ImportJob['progress'], ImportJob['progress'] | string | undefined, ImportJob['progress'] | string>;
  summary: ColumnType<ImportSummary | null, string | null | undefined, string | null>;
  error: string | null;
  started_by: string;
  started_at: CreatedAt;
  heartbeat_at: ColumnType<Date, Date | undefined, Date>;
  finished_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface ArticleEventsTable {
  article_id: string;
  seq: number;
  type: string;
  payload: ColumnType<unknown, object, never>;
  created_at: CreatedAt;
  /** The writing transaction (xid8, as text), set by the column default; null for events older than the notification follower. */
  txid: ColumnType<string | null, never, never>;
}

/** Where the notification follower stands in the event log, and which node holds the lease to follow it (ADR 0022). */
export interface NotificationCursorTable {
  name: string;
  txid: ColumnType<string, string | undefined, string>;
  article_id: ColumnType<string, string | undefined, string>;
  seq: ColumnType<number, number | undefined, number>;
  holder: ColumnType<string | null, string | null | undefined, string | null>;
  lease_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Where the current window of the moderators' queue mail opened; null before the first pass. */
  queue_checked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** A reader following a discussion (digests of new comments). */
export interface ArticleFollowsTable {
  article_id: string;
  user_id: string;
  created_at: CreatedAt;
}

/** A new comment waiting for a follower's digest; rows of one (user, article, due_at) are one mail. */
export interface FollowDigestItemsTable {
  user_id: string;
  article_id: string;
  comment_id: string;
  due_at: Date;
}

export interface ReactionsTable {
  comment_id: string;
  user_id: string;
  created_at: CreatedAt;
}

export interface ReportsTable {
  id: Generated<string>;
  comment_id: string;
  reporter_id: string;
  reason: 'spam' | 'abuse' | 'off_topic' | 'other';
  note: string | null;
  created_at: CreatedAt;
  resolved_at: Date | null;
}

export interface BansTable {
  id: Generated<string>;
  site_id: string;
  user_id: string;
  reason: string;
  until: Date | null;
  moderator_id: string;
  moderator_name: string;
  created_at: CreatedAt;
  lifted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface ModerationActionsTable {
  id: Generated<string>;
  moderator_id: string;
  moderator_name: string;
  action: ModerationActionType;
  target_type: 'comment' | 'user' | 'article' | 'site';
  target_id: string;
  site_id: string | null;
  reason: string | null;
  details: ColumnType<Record<string, unknown>, Record<string, unknown> | undefined, never>;
  created_at: CreatedAt;
}

export interface WordListsTable {
  site_id: string;
  banned: string[];
  suspect: string[];
  updated_at: Date;
  updated_by: string;
  /** 1 after the first save, bumped by each one after (a site without a row is at version 0). */
  version: Generated<number>;
}

export interface CommentsDatabase {
  sites: SitesTable;
  articles: ArticlesTable;
  comments: CommentsTable;
  article_events: ArticleEventsTable;
  reactions: ReactionsTable;
  reports: ReportsTable;
  bans: BansTable;
  moderation_actions: ModerationActionsTable;
  word_lists: WordListsTable;
  imported_authors: ImportedAuthorsTable;
  import_jobs: ImportJobsTable;
  notification_cursor: NotificationCursorTable;
  article_follows: ArticleFollowsTable;
  follow_digest_items: FollowDigestItemsTable;
}

/** What repositories take first: the service's database, or the transaction a service opened. */
export type Db = Kysely<CommentsDatabase> | Transaction<CommentsDatabase>;

export type SiteRow = Selectable<SitesTable>;
export type ArticleRow = Selectable<ArticlesTable>;
export type CommentRow = Selectable<CommentsTable>;
export type NewComment = Insertable<CommentsTable>;
export type BanRow = Selectable<BansTable>;
export type ModerationActionRow = Selectable<ModerationActionsTable>;
