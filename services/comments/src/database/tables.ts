import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { CommentStatus, SiteSettings } from '@parley/contracts';

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
  body: string;
  html: string;
  status: CommentStatus;
  reply_count: Generated<number>;
  reaction_count: Generated<number>;
  created_at: CreatedAt;
  edited_at: Date | null;
  deleted_at: Date | null;
}

export interface ArticleEventsTable {
  article_id: string;
  seq: number;
  type: string;
  payload: ColumnType<unknown, object, never>;
  created_at: CreatedAt;
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

export interface CommentsDatabase {
  sites: SitesTable;
  articles: ArticlesTable;
  comments: CommentsTable;
  article_events: ArticleEventsTable;
  reactions: ReactionsTable;
  reports: ReportsTable;
}

/** What repositories take first: the service's database, or the transaction a service opened. */
export type Db = Kysely<CommentsDatabase> | Transaction<CommentsDatabase>;

export type SiteRow = Selectable<SitesTable>;
export type ArticleRow = Selectable<ArticlesTable>;
export type CommentRow = Selectable<CommentsTable>;
export type NewComment = Insertable<CommentsTable>;
