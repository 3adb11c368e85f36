import type { CommentContext, RepliesPage, RepliesQuery, ThreadPage, ThreadQuery, ThreadViewer } from '@parley/contracts';
import type { Viewer } from '@parley/tokens';
import { notFound } from '@parley/platform';
import { articleById, findSiteArticle } from '../articles/articles.repository';
import { freshReads } from '../cache/fresh-reads';
import { publicCacheControl } from '../cache/send-page';
import type { CachedPage, ThreadPageCache } from '../cache/thread-page-cache';
import { findComment } from '../comments/comments.repository';
import { presentArticle, presentComment } from '../comments/comments.presenter';
import type { ServiceContext } from '../context';
import type { ArticleRow, CommentRow } from '../database/tables';
import { findActiveBan } from '../moderation/bans.repository';
import { findSite } from '../sites/sites.repository';
import { listReactedCommentIds } from '../reactions/reactions.repository';
import { decodeCursor, encodeCursor, type CursorKind, type KeysetPosition } from './cursor';
import { listFirstReplies, listOwnPrivateComments, listReplies, listTopLevelComments } from './threads.repository';
import { applyViewer, ownOnPage } from './viewer-overlay';
import { isFollowing } from '../follows/follows.repository';

/** How many direct replies each top-level comment brings along in a thread page. */
export const repliesPerComment = 3;

export type ThreadsService = ReturnType<typeof threadsService>;

export interface ThreadsDeps extends ServiceContext {
  /** Anonymous pages, built once per article version (docs/adr/0010). */
  pages: ThreadPageCache;
}

/** A page as every anonymous reader gets it, with what a per-viewer answer needs to go with it. */
export interface SharedPage {
  site: string;
  page: CachedPage;
  article: ArticleRow | undefined;
  after: KeysetPosition | undefined;
}

/**
 * Reading a discussion: a page of top-level comments with their first replies, or more replies.
 * A thread page is the same for every reader, so it is built once per version of the article and
 * kept (the cache); what only one reader knows — their reactions, their comments waiting for a
 * moderator — is laid over it per request.
 */
export function threadsService(deps: ThreadsDeps) {
  const { db, pages } = deps;
  // Each read checks the article's current version in the database (one indexed read, shared by
  // the requests that arrive together): a write that answered 2xx on any node is never hidden.
  const heads = freshReads((key) => {
    const [site = '', article = ''] = key.split('\n');
    return findSiteArticle(db, site, article);
  });

  async function sharedPage(target: { site: string; article: string }, query: ThreadQuery): Promise<SharedPage> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.sort, query.cursor);
    const head = await heads(`${target.site}\n${target.article}`);
    if (!head.siteFound) throw notFound('site_not_found', `There is no site "${target.site}".`);
    const { article } = head;
    const presented = presentArticle(target.site, target.article, article);
    // Everything a page shows of the article, and its id (a re-created article is another one).
    const version = { tag: JSON.stringify([article?.id ?? null, presented]), seq: presented.seq };
    const key = [target.site, target.article, query.sort, query.limit, query.cursor ?? ''].join('\n');
    const page = await pages.page(key, version, () => buildPage(article, presented, query, after));
    return { site: target.site, page, article, after };
  }

  async function buildPage(article: ArticleRow | undefined, presented: ThreadPage['article'], query: ThreadQuery, after?: KeysetPosition): Promise<ThreadPage> {
    if (!article) return { article: presented, comments: [], nextCursor: null };
    // One row more than asked tells whether another page exists, without counting.
    const rows = await listTopLevelComments(db, article.id, { sort: query.sort, limit: query.limit + 1, after });
    const page = rows.slice(0, query.limit);
    const replies = await listFirstReplies(
      db,
      page.map((row) => row.id),
      repliesPerComment,
    );
    const byParent = new Map<string, CommentRow[]>();
    for (const reply of replies) byParent.set(reply.parent_id!, [...(byParent.get(reply.parent_id!) ?? []), reply]);
    const comments = page.map((row) => presentComment(row, byParent.get(row.id) ?? []));
    return { article: presented, comments, nextCursor: nextCursor(query.sort, rows, query.limit) };
  }

  /** What only `viewer` knows about the page `query` names (see ThreadViewer). */
  async function viewerOf(shared: SharedPage, query: ThreadQuery, viewer: Viewer, options: { ban: boolean }): Promise<ThreadViewer> {
    const { article, page, after } = shared;
    const ban = options.ban ? banOf(shared.site, viewer) : Promise.resolve(null);
    const editWindow = findSite(db, shared.site).then((site) => site?.settings.editWindowSeconds ?? deps.config.editWindowSeconds);
    if (!article) return { reacted: [], own: [], removed: [], ban: await ban, editWindowSeconds: await editWindow, ...(options.ban ? { following: false } : {}) };
    const [reacted, mine, banned, editWindowSeconds, following] = await Promise.all([
      listReactedCommentIds(db, [...page.ids], viewer.id),
      listOwnPrivateComments(db, article.id, viewer.id),
      ban,
      editWindow,
      options.ban ? isFollowing(db, article.id, viewer.id) : undefined,
    ]);
    const last = page.nextCursor === null ? undefined : decodeCursor(query.sort, page.nextCursor);
    const held = mine.filter((row) => row.status === 'pending');
    const own = ownOnPage(held, { sort: query.sort, after, last, ids: new Set(page.ids), topLevelIds: new Set(page.topLevelIds) });
    return {
      reacted: [...reacted],
      own: own.map((row) => presentComment(row, row.parent_id === null ? [] : undefined, { viewerId: viewer.id })),
      // Article-wide, so the widget can ask again for one comment removed while the page is open.
      removed: mine.flatMap((row) => (row.status === 'removed' && row.removal_reason ? [{ id: row.id, reason: row.removal_reason }] : [])),
      ban: banned,
      editWindowSeconds,
      ...(following === undefined ? {} : { following }),
    };
  }

  async function banOf(siteId: string, viewer: Viewer): Promise<ThreadViewer['ban']> {
    const ban = await findActiveBan(db, siteId, viewer.id, deps.clock());
    return ban ? { until: ban.until ? ban.until.toISOString() : null, reason: ban.reason } : null;
  }

  return {
    sharedPage,
    /** What anonymous pages say a CDN or browser may do with them. */
    publicCacheControl: publicCacheControl(deps.config.threadCache.publicCaching),

    /** The page as a logged-in reader sees it: the shared page with their own view laid over it. */
    async thread(target: { site: string; article: string }, query: ThreadQuery, viewer: Viewer): Promise<ThreadPage> {
      const shared = await sharedPage(target, query);
      const page = JSON.parse(shared.page.json.toString('utf8')) as ThreadPage;
      const mine = await viewerOf(shared, query, viewer, { ban: false });
      return applyViewer(page, mine, query.sort);
    },

    /** Only what `viewer` knows about a page; the widget lays it over the shared page itself. */
    async viewer(target: { site: string; article: string }, query: ThreadQuery, viewer: Viewer): Promise<ThreadViewer> {
      const shared = await sharedPage(target, query);
      return viewerOf(shared, query, viewer, { ban: true });
    },

    /**
     * A permalink's comment with its article and ancestors (top-level first), as a reader may see
     * them: a comment nobody else has seen (held, or rejected) only for its author, else 404.
     */
    async commentContext(id: string, viewer?: Viewer): Promise<CommentContext> {
      const row = await findComment(db, id);
      if (!row || !(row.published_at !== null || (row.status === 'pending' && row.author_id === viewer?.id))) {
        throw notFound('comment_not_found', 'There is no such comment.');
      }
      const ancestors: CommentRow[] = [];
      // Depth is small (the widget nests to 3 and runs flat beyond); one lookup per level.
      for (let parentId = row.parent_id; parentId; ) {
        const parent = await findComment(db, parentId);
        if (!parent) break;
        ancestors.unshift(parent);
        parentId = parent.parent_id;
      }
      const article = await articleById(db, row.article_id);
      const audience = { viewerId: viewer?.id };
      const all = [...ancestors, row].map((comment) => presentComment(comment, undefined, audience));
      if (viewer) {
        const reacted = await listReactedCommentIds(db, all.map((comment) => comment.id), viewer.id);
        for (const comment of all) comment.reacted = reacted.has(comment.id);
      }
      return { article: presentArticle(article.site_id, article.key, article), comment: all.at(-1)!, ancestors: all.slice(0, -1) };
    },

    async replies(parentId: string, query: RepliesQuery, viewer?: Viewer): Promise<RepliesPage> {
      const after = query.cursor === undefined ? undefined : decodeCursor('replies', query.cursor);
      const parent = await findComment(db, parentId);
      const visible = parent && (parent.published_at !== null || (parent.status === 'pending' && parent.author_id === viewer?.id));
      if (!parent || !visible) throw notFound('comment_not_found', 'There is no such comment.');
      const rows = await listReplies(db, parent.id, { limit: query.limit + 1, after, viewerId: viewer?.id });
      const comments = rows.slice(0, query.limit).map((row) => presentComment(row, undefined, { viewerId: viewer?.id }));
      if (viewer) {
        const reacted = await listReactedCommentIds(
          db,
          comments.map((comment) => comment.id),
          viewer.id,
        );
        for (const comment of comments) comment.reacted = reacted.has(comment.id);
      }
      return { comments, nextCursor: nextCursor('replies', rows, query.limit) };
    },
  };
}

function nextCursor(kind: CursorKind, rows: CommentRow[], limit: number): string | null {
  if (rows.length <= limit) return null;
  const last = rows[limit - 1]!;
  return encodeCursor(kind, { createdAt: last.created_at, id: last.id, reactionCount: last.reaction_count });
}
