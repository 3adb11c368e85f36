import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  ClaimImportedAuthorsRequest,
  ExportRequest,
  ImportBatchRequest,
  type ImportBatchResult,
  type ImportedArticle,
  type ImportSource,
} from '@parley/contracts';
import { toFieldIssues, validationFailed } from '@parley/platform';
import { lockOrCreateArticle, setArticleState } from '../articles/articles.repository';
import { renderImportedBody } from '../comments/markdown';
import { siteNotFound } from '../comments/post-comment';
import type { ServiceContext } from '../context';
import type { CommentsDatabase, NewComment } from '../database/tables';
import { writeWithEvents, type RecordEvent } from '../events/event-publisher';
import { findSite } from '../sites/sites.repository';
import {
  articlesPage,
  claimImportedAuthors,
  commentsPage,
  fillArticleMetadata,
  importedAuthorsPage,
  importedCommentsOf,
  insertImportedComments,
  addReplies,
  createArticleIfMissing,
  upsertImportedAuthors,
  type PlacedComment,
} from './imports.repository';

/**
 * Imported history (docs/adr/0016). The command line parses a Disqus/WordPress/Commento/Parley
 * export and sends whole articles; each article is written in one transaction, so a failure leaves
 * it as it was before, never half imported. Comments are keyed by (article, source, source id):
 * importing the same file again finds them all and changes nothing. Live readers of an article
 * that gained comments get one `article:updated` event with `resync`, not an event per comment.
 */
export interface ImportsService {
  importBatch(raw: unknown): Promise<ImportBatchResult>;
  /** The site as JSON lines (see docs/publishers.md); one line per string yielded. */
  exportSite(raw: unknown): AsyncGenerator<string>;
  /** The claim hook: call once an account's email is verified. */
  claim(raw: unknown): Promise<{ authors: number; comments: number }>;
}

/** Articles of one batch written at once (each its own transaction and connection). */
const importConcurrency = 4;

class DryRun extends Error {
  constructor(readonly result: ArticleOutcome) {
    super('dry run');
  }
}

interface ArticleOutcome {
  created: boolean;
  imported: number;
  tombstones: number;
  alreadyImported: number;
  orphans: number;
  authorsCreated: number;
}

export function importsService(context: ServiceContext): ImportsService {
  const { db } = context;
  return {
    async importBatch(raw) {
      const parsed = ImportBatchRequest.safeParse(raw);
      if (!parsed.success) throw validationFailed(toFieldIssues(parsed.error));
      const batch = parsed.data;
      if (!(await findSite(db, batch.site))) throw siteNotFound(batch.site);
      const result: ImportBatchResult = {
        articles: { created: 0, updated: 0, unchanged: 0 },
        comments: { imported: 0, tombstones: 0, alreadyImported: 0, orphans: 0 },
        authors: { created: 0 },
      };
      const importOne = async (article: ImportedArticle) => {
        let outcome: ArticleOutcome;
        try {
          outcome = await writeWithEvents({ db, publisher: context.publisher }, async (trx, record) => {
            const done = await importArticle(trx, record, context.clock(), batch.site, batch.source, article);
            if (batch.dryRun) throw new DryRun(done);
            return done;
          });
        } catch (error) {
          if (!(error instanceof DryRun)) throw error;
          outcome = error.result;
        }
        const changed = outcome.imported + outcome.tombstones > 0;
        if (outcome.created) result.articles.created += 1;
        else if (changed) result.articles.updated += 1;
        else result.articles.unchanged += 1;
        result.comments.imported += outcome.imported;
        result.comments.tombstones += outcome.tombstones;
        result.comments.alreadyImported += outcome.alreadyImported;
        result.comments.orphans += outcome.orphans;
        result.authors.created += outcome.authorsCreated;
      };
      // A few articles at once, each in its own transaction: the work is round trips, not CPU.
      // Articles sharing a key are kept in order (the second waits for the first's lock anyway).
      const queue = [...batch.articles];
      const workers = Array.from({ length: Math.min(importConcurrency, queue.length) }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await importOne(next);
      });
      const settled = await Promise.allSettled(workers);
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
      return result;
    },

    async *exportSite(raw) {
      const parsed = ExportRequest.safeParse(raw);
      if (!parsed.success) throw validationFailed(toFieldIssues(parsed.error));
      const { site: siteId, includePrivate } = parsed.data;
      const site = await findSite(db, siteId);
      if (!site) throw siteNotFound(siteId);
      yield line({ type: 'site', version: 1, id: site.id, name: site.name, exportedAt: context.clock().toISOString() });
      for (let after: string | null = null; ; ) {
        const authors = await importedAuthorsPage(db, siteId, after, 1000);
        for (const author of authors) {
          yield line({
            type: 'author',
            id: `imported:${author.id}`,
            name: author.name,
            source: author.source,
            ...(author.claimed_by ? { claimedBy: author.claimed_by } : {}),
            ...(includePrivate && author.email ? { email: author.email } : {}),
          });
        }
        if (authors.length < 1000) break;
        after = authors.at(-1)!.id;
      }
      for (let afterKey: string | null = null; ; ) {
        const articles = await articlesPage(db, siteId, afterKey, 200);
        for (const article of articles) {
          yield line({ type: 'article', key: article.key, title: article.title, url: article.url, state: article.state, createdAt: article.created_at.toISOString() });
          for (let after: { depth: number; createdAt: Date; id: string } | null = null; ; ) {
            const comments = await commentsPage(db, article.id, after, 1000);
            for (const c of comments) {
              yield line({
                type: 'comment',
                article: article.key,
                id: c.id,
                parentId: c.parent_id,
                createdAt: c.created_at.toISOString(),
                editedAt: c.edited_at?.toISOString() ?? null,
                status: c.status,
                author: { id: c.author_id, name: c.author_name },
                html: c.html,
                body: c.body,
              });
            }
            if (comments.length < 1000) break;
            const last = comments.at(-1)!;
            after = { depth: last.depth, createdAt: last.created_at, id: last.id };
          }
        }
        if (articles.length < 200) break;
        afterKey = articles.at(-1)!.key;
      }
    },

    async claim(raw) {
      const parsed = ClaimImportedAuthorsRequest.safeParse(raw);
      if (!parsed.success) throw validationFailed(toFieldIssues(parsed.error));
      return db.transaction().execute((trx) => claimImportedAuthors(trx, parsed.data.userId, parsed.data.email, context.clock()));
    },
  };
}

const line = (value: unknown) => `${JSON.stringify(value)}\n`;

/** Control characters (NUL above all, which PostgreSQL's text refuses) never reach the database. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const clean = (text: string) => text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');

/** One article, inside the transaction that writes it. */
async function importArticle(
  trx: Kysely<CommentsDatabase>,
  record: RecordEvent,
  now: Date,
  siteId: string,
  source: ImportSource,
  article: ImportedArticle,
): Promise<ArticleOutcome> {
  const existed = !(await createArticleIfMissing(trx, siteId, article));
  const row = await lockOrCreateArticle(trx, { siteId, key: article.key });
  let state = row.state;
  if (!existed && article.closed) {
    await setArticleState(trx, row.id, 'closed');
    state = 'closed';
  }
  if (existed) await fillArticleMetadata(trx, row.id, { title: article.title, url: article.url });

  const outcome: ArticleOutcome = { created: !existed, imported: 0, tombstones: 0, alreadyImported: 0, orphans: 0, authorsCreated: 0 };
  const known = await importedCommentsOf(trx, row.id, source);
  const fresh = article.comments.filter((comment) => {
    if (!known.has(comment.sourceId)) return true;
    outcome.alreadyImported += 1;
    return false;
  });
  if (fresh.length === 0) return outcome;

  const authors = new Map(fresh.filter((c) => c.status === 'published').map((c) => [c.author.sourceKey, c.author]));
  const { ids: authorIds, created } = await upsertImportedAuthors(
    trx,
    siteId,
    source,
    [...authors.values()].map((a) => ({ sourceKey: clean(a.sourceKey), name: clean(a.name) || 'Anonymous', email: a.email && clean(a.email) })),
  );
  outcome.authorsCreated = created;

  const rows: NewComment[] = [];
  for (const { comment, placed, parent } of placeInThread(fresh, known)) {
    if (comment.parentSourceId !== null && !parent) outcome.orphans += 1;
    const tombstone = comment.status !== 'published';
    const createdAt = new Date(comment.createdAt);
    const { body, html } = tombstone ? { body: '', html: '' } : renderImportedBody(clean(comment.html));
    rows.push({
      id: placed.id,
      article_id: row.id,
      parent_id: parent?.id ?? null,
      root_id: placed.rootId,
      depth: placed.depth,
      // A tombstone shows nobody: it keeps no author record, only its place.
      author_id: tombstone ? 'imported:unknown' : authorIds.get(clean(comment.author.sourceKey))!,
      author_name: tombstone ? '' : clean(comment.author.name) || 'Anonymous',
      body,
      html,
      status: comment.status,
      created_at: createdAt,
      edited_at: null,
      deleted_at: tombstone ? createdAt : null,
      published_at: createdAt,
      import_source: source,
      import_id: comment.sourceId,
    });
    if (tombstone) outcome.tombstones += 1;
    else outcome.imported += 1;
  }
  // Reply counts: direct replies, tombstones included, as posting counts them.
  const newIds = new Map(rows.map((r) => [r.id!, r]));
  const earlierParents = new Map<string, number>();
  for (const r of rows) {
    if (!r.parent_id) continue;
    const parent = newIds.get(r.parent_id);
    if (parent) parent.reply_count = (parent.reply_count ?? 0) + 1;
    else earlierParents.set(r.parent_id, (earlierParents.get(r.parent_id) ?? 0) + 1);
  }
  await insertImportedComments(trx, rows);
  await addReplies(trx, earlierParents);
  // One event for the whole import: a reader on the page reloads the thread once.
  await record({
    articleId: row.id,
    change: { type: 'article:updated', state, commentCount: row.comment_count + outcome.imported, resync: true },
    at: now,
    commentCountDelta: outcome.imported,
  });
  return outcome;
}

/**
 * Parents before their replies, each with its place: a reply whose parent is in neither the batch
 * nor the article (or that is part of a cycle) becomes top-level — an orphan, counted by the caller.
 */
function* placeInThread(
  comments: ImportedArticle['comments'],
  known: Map<string, PlacedComment>,
): Generator<{ comment: ImportedArticle['comments'][number]; placed: PlacedComment; parent: PlacedComment | undefined }> {
  const bySourceId = new Map<string, ImportedArticle['comments'][number]>();
  for (const comment of comments) if (!bySourceId.has(comment.sourceId)) bySourceId.set(comment.sourceId, comment);
  const placed = new Map<string, PlacedComment>();
  const onStack = new Set<string>();
  for (const first of bySourceId.values()) {
    const stack = [first];
    onStack.add(first.sourceId);
    while (stack.length > 0) {
      const top = stack.at(-1)!;
      const parentId = top.parentSourceId;
      if (parentId !== null && !placed.has(parentId) && !known.has(parentId) && bySourceId.has(parentId) && !onStack.has(parentId)) {
        stack.push(bySourceId.get(parentId)!);
        onStack.add(parentId);
        continue;
      }
      stack.pop();
      onStack.delete(top.sourceId);
      if (placed.has(top.sourceId)) continue;
      const parent = parentId === null || parentId === top.sourceId ? undefined : (placed.get(parentId) ?? known.get(parentId));
      const id = randomUUID();
      const here: PlacedComment = parent ? { id, rootId: parent.rootId ?? parent.id, depth: parent.depth + 1 } : { id, rootId: null, depth: 0 };
      placed.set(top.sourceId, here);
      yield { comment: top, placed: here, parent };
    }
  }
}
