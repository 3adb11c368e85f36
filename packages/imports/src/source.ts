import { createHash } from 'node:crypto';
import { importSkipWords } from '@parley/contracts/import-words';
import { ArticleKey, ArticleUrl, importedHtmlMaxLength, type ImportedAuthor, type ImportSkipReason } from '@parley/contracts';

/**
 * What every export parser hands on: the articles (threads, WordPress items, Commento pages) and
 * their comments in one shape, plus what it skipped or found wrong, each with its place in the file.
 */

export interface Place {
  line: number;
  column: number;
}

export interface SourceThread {
  sourceId: string;
  /** The article key Parley will use (already derived and checked). */
  key: string;
  title: string | null;
  url: string | null;
  closed: boolean;
}

export interface SourcePost {
  sourceId: string;
  threadSourceId: string;
  parentSourceId: string | null;
  createdAt: string;
  author: ImportedAuthor;
  html: string;
  status: 'published' | 'deleted' | 'removed';
  /** Where it is in the file (a line and column; for JSON without places, its index). */
  place?: Place;
  at?: string;
}

/** The summary's words for each reason (shared with the console). */
export const skipReasons = importSkipWords;
export type SkipReason = ImportSkipReason;

export interface Sink {
  thread(thread: SourceThread): void;
  post(post: SourcePost): void;
  skip(reason: SkipReason, place: Place | undefined, detail?: string): void;
  /** Something wrong that was handled without skipping a comment (a stray character, a bad link). */
  problem(place: Place | undefined, message: string): void;
}

/** A source article's key: its own id when Parley can use it as is, else one made from the id or the link. */
export function articleKeyFor(identifier: string | null, link: string | null): string | undefined {
  const id = identifier?.trim();
  if (id) return ArticleKey.safeParse(id).success ? id : slugKey(id);
  const url = link?.trim();
  if (!url) return undefined;
  let readable = url;
  try {
    const parsed = new URL(url);
    readable = `${parsed.host}${parsed.pathname}${parsed.search}`.replace(/\/$/, '');
  } catch {
    // Not a url: its text still makes a key.
  }
  return slugKey(readable || url);
}

/** Letters and digits kept, the rest made "-", and a short hash of the original so two ids never meet. */
function slugKey(text: string): string {
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 10);
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._:~-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, 180);
  return slug ? `${slug}~${hash}` : `k${hash}`;
}

/** An http(s) link Parley can store, else null. */
export function articleUrl(link: string | null): string | null {
  const url = link?.trim();
  return url && ArticleUrl.safeParse(url).success ? url : null;
}

/**
 * Dates as exports write them: ISO 8601 with or without a zone (none means UTC), "2013-01-10
 * 11:29:48" (WordPress, GMT), RFC 2822 ("Thu, 10 Jan 2013 11:29:48 +0000"), Unix seconds or
 * milliseconds. Undefined for anything else, and for years no comment can have (WordPress's
 * "0000-00-00 00:00:00").
 */
export function parseSourceDate(text: string | null | undefined): string | undefined {
  const value = text?.trim();
  if (!value) return undefined;
  let date: Date;
  if (/^\d{9,10}$/.test(value)) date = new Date(Number(value) * 1000);
  else if (/^\d{12,13}$/.test(value)) date = new Date(Number(value));
  else {
    const iso = value.match(/^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?))?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?$/i);
    if (iso) {
      const zone = !iso[3] || /^(z|utc|gmt)$/i.test(iso[3]) ? 'Z' : iso[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
      date = new Date(`${iso[1]}T${(iso[2] ?? '00:00:00').replace(',', '.')}${zone}`);
    } else date = new Date(value);
  }
  const time = date.getTime();
  if (Number.isNaN(time)) return undefined;
  const year = date.getUTCFullYear();
  if (year < 1990 || year > 2100) return undefined;
  return date.toISOString();
}

/** An imported author from what the source knows; the key prefers a username, then the email, then the name. */
export function sourceAuthor(fields: { username?: string | null; email?: string | null; name?: string | null; id?: string | null }): ImportedAuthor {
  const email = fields.email?.trim().toLowerCase() || null;
  const usable = email && email.length <= 320 && /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
  const name = (fields.name?.trim() || fields.username?.trim() || 'Anonymous').replace(/\s+/g, ' ').slice(0, 200);
  const username = fields.username?.trim();
  const id = fields.id?.trim();
  const sourceKey = (id ? `id:${id}` : username ? `user:${username}` : usable ? `email:${usable}` : `name:${name}`).slice(0, 400);
  return { sourceKey, name, email: usable };
}

export const tooLong = (html: string) => html.length > importedHtmlMaxLength;
