import { randomUUID } from 'node:crypto';
import type { ArticleEvent, Comment, PostCommentRequest } from '@parley/contracts';
import { notFound, unprocessable } from '@parley/platform';
import type { Viewer } from '@parley/tokens';
import { assertArticleUrlOnSite } from '../articles/article-url';
import { findArticle } from '../articles/articles.repository';
import type { CommentRow, SiteRow } from '../database/tables';
import type { LiveSignal } from '../events/event-publisher';
import { assertNotBanned } from '../moderation/assert-not-banned';
import { queueChanged } from '../moderation/queue-signals';
import { findSite } from '../sites/sites.repository';
import { authorBadge } from './author-badges';
import { assertMayPostHere } from './confirmed-email';
import type { CommentsServiceDeps } from './comments.service';
import { findComment, insertPostedComment } from './comments.repository';
import { heldAsNewcomer } from './newcomer-hold';
import { isTombstone, presentComment } from './comments.presenter';

export const siteNotFound = (site: string) => notFound('site_not_found', `There is no site "${site}".`);
export const articleClosed = () => unprocessable('article_closed', 'This discussion is closed to new comments.');
const parentUnavailable = () => unprocessable('parent_unavailable', 'The comment you are replying to is not available.');

/**
 * Posting in as few database round trips as the rules allow (docs/adr/0012): what the rules need
 * to know first — the site, the author's ban, the site's word lists, a reply's parent — is read at
 * once, in parallel, and refused in the order the rules are listed; then one statement stores the
 * comment, numbers and stores its event and moves the counters (insertPostedComment). The event is
 * handed to the live stream once that statement has committed, as writeWithEvents would.
 *
 * Returns undefined for a site that closes discussions automatically: deciding that a post is the
 * first after the deadline needs the article's first comment, so those take the transactional path.
 */
export async function postInOneStatement(
  deps: CommentsServiceDeps,
  viewer: Viewer,
  target: { site: string; article: string },
  input: PostCommentRequest,
  html: string,
): Promise<Comment | undefined> {
  const { db } = deps;
  const now = deps.clock();
  const [site, ban, screening, parent] = await Promise.allSettled([
    findSite(db, target.site),
    assertNotBanned(db, target.site, viewer.id, now),
    deps.screening.screen(db, target.site, input.body),
    input.parentId ? findComment(db, input.parentId) : Promise.resolve(undefined),
  ]);
  const siteRow = settled(site);
  if (!siteRow) throw siteNotFound(target.site);
  settled(ban);
  assertMayPostHere(siteRow, viewer);
  const { hold: suspect } = settled(screening);
  assertArticleUrlOnSite(input.url, siteRow.allowed_origins);
  if (siteRow.settings.autoCloseAfterDays !== undefined) return undefined;
  const newcomer = await heldAsNewcomer(db, siteRow, viewer);

  const parentRow = settled(parent);
  if (input.parentId && (!parentRow || isTombstone(parentRow) || parentRow.status === 'pending')) {
    throw await refusalFor(deps, siteRow, target.article);
  }
  const row: Omit<CommentRow, 'article_id'> = {
    id: randomUUID(),
    parent_id: parentRow?.id ?? null,
    root_id: parentRow ? (parentRow.root_id ?? parentRow.id) : null,
    depth: parentRow ? parentRow.depth + 1 : 0,
    author_id: viewer.id,
    author_name: viewer.name,
    author_badge: authorBadge(viewer, siteRow.id),
    body: input.body,
    html,
    status: 'published',
    reply_count: 0,
    reaction_count: 0,
    created_at: now,
    edited_at: null,
    deleted_at: null,
    published_at: now,
    open_reports: 0,
    reported_at: null,
    import_source: null,
    import_id: null,
    removal_reason: null,
  };
  const comment = presentComment({ ...row, article_id: '' });
  const outcome = await insertPostedComment(db, {
    site: { id: siteRow.id, premoderation: siteRow.settings.premoderation ?? false },
    article: { key: target.article, title: input.title || null, url: input.url ?? null },
    row,
    suspect: suspect || newcomer,
    eventPayload: { comment },
  });
  if (!outcome.row) throw await refusalFor(deps, siteRow, target.article);

  if (outcome.held) {
    // Counted on the parent and the article, and announced to readers, only once approved.
    const signals: LiveSignal[] = [];
    queueChanged((signal) => signals.push(signal), siteRow.id, row.id, 'pending', 'added');
    deps.publisher.publish([], signals);
    return presentComment(outcome.row, undefined, { viewerId: viewer.id });
  }
  const event: ArticleEvent = { site: siteRow.id, article: target.article, seq: outcome.seq, type: 'comment:created', comment };
  deps.publisher.publish([event]);
  return comment;
}

/** Why nothing was stored: the article is closed, or else the reply's parent is not available there. */
async function refusalFor(deps: CommentsServiceDeps, site: SiteRow, key: string) {
  const article = await findArticle(deps.db, site.id, key);
  return article?.state === 'closed' ? articleClosed() : parentUnavailable();
}

function settled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}
