import type { FollowResponse } from '@parley/contracts';
import { notFound } from '@parley/platform';
import type { Viewer } from '@parley/tokens';
import { findSiteArticle } from '../articles/articles.repository';
import type { ServiceContext } from '../context';
import { follow, unfollow } from './follows.repository';

export type FollowsService = ReturnType<typeof followsService>;

/**
 * Following a discussion: the follower gets digests of its new published comments by mail, at
 * most one per FOLLOW_DIGEST_MINUTES (the notification follower batches them, auth mails them;
 * ADR 0022). Only an article someone commented on can be followed (before that it has no row).
 * A ban does not stop anyone reading, so it does not stop following either.
 */
export function followsService(deps: ServiceContext) {
  async function articleOr404(site: string, key: string) {
    const { siteFound, article } = await findSiteArticle(deps.db, site, key);
    if (!siteFound) throw notFound('site_not_found', `There is no site "${site}".`);
    if (!article) throw notFound('article_not_found', 'Nobody has commented on this article yet: there is nothing to follow.');
    return article;
  }

  return {
    async follow(viewer: Viewer, target: { site: string; article: string }): Promise<FollowResponse> {
      const article = await articleOr404(target.site, target.article);
      await follow(deps.db, article.id, viewer.id, deps.clock());
      return { following: true };
    },
    async unfollow(viewer: Viewer, target: { site: string; article: string }): Promise<FollowResponse> {
      const article = await articleOr404(target.site, target.article);
      await deps.db.transaction().execute((trx) => unfollow(trx, article.id, viewer.id));
      return { following: false };
    },
  };
}
