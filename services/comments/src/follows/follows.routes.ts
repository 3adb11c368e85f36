import { FollowResponse, ThreadParams } from '@parley/contracts';
import type { RouteDoc } from '@parley/platform';
import { route } from '../services';

/** What following and unfollowing share: the path, who may, the limit and the answers. */
const following = {
  path: '/api/sites/:site/articles/:article/follow',
  tag: 'Threads',
  auth: 'required',
  allow: 'article.follow',
  // Cheap, like a reaction, and counted with them.
  rateLimit: { limiter: 'react', per: 'viewer' },
  params: ThreadParams,
  headers: { 'Cache-Control': 'no-store' },
  errors: { 404: ['site_not_found', 'article_not_found'], 429: ['rate_limited'] },
} satisfies Partial<RouteDoc>;

/** Following a discussion: mail digests of its new comments (whether one follows: the viewer route). */
export const followsRoutes = [
  route({
    ...following,
    method: 'put',
    operationId: 'followArticle',
    summary: 'Follow a discussion',
    description: 'Idempotent. The reader is mailed digests of new published comments by others, at most one per discussion every FOLLOW_DIGEST_MINUTES, to a confirmed address and while their `follows` mail setting is on.',
    response: { status: 200, schema: FollowResponse, description: 'The reader follows the discussion.' },
    handler: ({ viewer, params }, { follows }) => follows.follow(viewer, params),
  }),
  route({
    ...following,
    method: 'delete',
    operationId: 'unfollowArticle',
    summary: 'Stop following a discussion',
    description: 'Idempotent; comments waiting for the reader\'s next digest of it are dropped.',
    response: { status: 200, schema: FollowResponse, description: 'The reader no longer follows the discussion.' },
    handler: ({ viewer, params }, { follows }) => follows.unfollow(viewer, params),
  }),
];
