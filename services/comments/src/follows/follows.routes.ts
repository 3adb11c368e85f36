import { FollowResponse, ThreadParams } from '@parley/contracts';
import { route } from '../services';

/** Following a discussion: mail digests of its new comments (whether one follows: the viewer route). */
export const followsRoutes = [
  route({
    tag: 'Threads',
    auth: 'required',
    allow: 'article.follow',
    // Cheap, like a reaction, and counted with them.
    rateLimit: { limiter: 'react', per: 'viewer' },
    params: ThreadParams,
    headers: { 'Cache-Control': 'no-store' },
    errors: { 404: ['site_not_found', 'article_not_found'], 429: ['rate_limited'] },
    method: 'put',
    path: '/api/sites/:site/articles/:article/follow',
    operationId: 'followArticle',
    summary: 'Follow a discussion',
    description: 'Idempotent. The reader is mailed digests of new published comments by others, at most one per discussion every FOLLOW_DIGEST_MINUTES, to a confirmed address and while their `follows` mail setting is on.',
    response: { status: 200, schema: FollowResponse, description: 'The reader follows the discussion.' },
    handler: ({ viewer, params }, { follows }) => follows.follow(viewer, params),
  }),
  route({
    tag: 'Threads',
    auth: 'required',
    allow: 'article.follow',
    // Cheap, like a reaction, and counted with them.
    rateLimit: { limiter: 'react', per: 'viewer' },
    params: ThreadParams,
    headers: { 'Cache-Control': 'no-store' },
    errors: { 404: ['site_not_found', 'article_not_found'], 429: ['rate_limited'] },
    method: 'delete',
    path: '/api/sites/:site/articles/:article/follow',
    operationId: 'unfollowArticle',
    summary: 'Stop following a discussion',
    description: 'Idempotent; comments waiting for the reader\'s next digest of it are dropped.',
    response: { status: 200, schema: FollowResponse, description: 'The reader no longer follows the discussion.' },
    handler: ({ viewer, params }, { follows }) => follows.unfollow(viewer, params),
  }),
];
