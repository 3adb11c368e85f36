import { CommentContext, CommentParams, RepliesPage, RepliesParams, RepliesQuery, ThreadPage, ThreadParams, ThreadQuery, ThreadViewer } from '@parley/contracts';
import { privateCacheControl, sendSharedPage } from '../cache/send-page';
import { route } from '../services';

/**
 * Public reads: anyone may read a discussion. An anonymous page is the same for everyone and is
 * served from the shared cache (compressed, with an ETag, cacheable by a CDN); a logged-in
 * reader's token (optional; a bad one is still refused) adds what only they know — whether they
 * reacted, their own comments waiting for a moderator — in an answer nobody stores. The widget
 * asks for that part on its own (`/viewer`) so its pages stay the shared ones.
 */
export const threadsRoutes = [
  route({
    method: 'get',
    path: '/api/sites/:site/articles/:article/comments',
    operationId: 'getThread',
    summary: 'A page of an article\'s discussion',
    description:
      'Top-level comments, each with its first replies and reply count; keyset-paginated by `cursor`. An article nobody has commented on yet answers with an empty page. ' +
      'Without a token the page is the shared one: compressed as `Accept-Encoding` allows, with an `ETag` (answered 304 for `If-None-Match`) and a public `Cache-Control`. ' +
      'With a token it also says which comments the reader reacted to and shows their own comments waiting for a moderator, and is `private, no-store`.',
    tag: 'Threads',
    auth: 'optional',
    params: ThreadParams,
    query: ThreadQuery,
    parameterDescriptions: { site: 'The site id.', article: 'The publisher\'s article id (key).', cursor: 'The `nextCursor` of the previous page.' },
    response: { status: 200, schema: ThreadPage, description: 'The article and one page of its comments.' },
    errors: { 404: ['site_not_found'] },
    headers: { Vary: 'Accept-Encoding, Authorization' },
    handler: async ({ viewer, params, query, req, res }, { threads }) => {
      if (viewer) {
        res.setHeader('Cache-Control', privateCacheControl);
        return threads.thread(params, query, viewer);
      }
      const { page } = await threads.sharedPage(params, query);
      await sendSharedPage(req, res, page, { cacheControl: threads.publicCacheControl, vary: 'Accept-Encoding, Authorization' });
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/api/sites/:site/articles/:article/viewer',
    operationId: 'getThreadViewer',
    summary: 'What only the logged-in reader knows about a page of a discussion',
    description:
      'Asked beside the shared page (same `sort`, `limit` and `cursor`): the comments of that page the reader reacted to, their own comments on it that wait for a moderator, their own comments in the article a moderator removed with the reason, and their ban on the site if any.',
    tag: 'Threads',
    auth: 'required',
    params: ThreadParams,
    query: ThreadQuery,
    parameterDescriptions: { cursor: 'The `cursor` the page was asked with.' },
    response: { status: 200, schema: ThreadViewer, description: 'The reader\'s part of that page.' },
    errors: { 404: ['site_not_found'] },
    headers: { 'Cache-Control': privateCacheControl },
    handler: ({ viewer, params, query }, { threads }) => threads.viewer(params, query, viewer),
  }),
  route({
    method: 'get',
    path: '/api/comments/:id',
    operationId: 'getComment',
    summary: 'One comment with its context, for a permalink',
    description:
      'The comment, its article, and its ancestors from the top-level comment down to its parent, so a page opened at `#comment-<id>` can show it in place even when it sits on a later page or deep in replies. ' +
      'Removed and deleted comments answer as tombstones (to its author, a removed one says why: `removalReason`); a comment held for a moderator only to its author (404 to everyone else).',
    tag: 'Threads',
    auth: 'optional',
    params: CommentParams,
    response: { status: 200, schema: CommentContext, description: 'The comment and where it sits.' },
    errors: { 404: ['comment_not_found'] },
    headers: { 'Cache-Control': 'private, no-cache' },
    handler: ({ viewer, params }, { threads }) => threads.commentContext(params.id, viewer),
  }),
  route({
    method: 'get',
    path: '/api/comments/:id/replies',
    operationId: 'getReplies',
    summary: 'A page of a comment\'s direct replies',
    tag: 'Threads',
    auth: 'optional',
    params: RepliesParams,
    query: RepliesQuery,
    parameterDescriptions: { cursor: 'The `nextCursor` of the previous page.' },
    response: { status: 200, schema: RepliesPage, description: 'One page of replies, oldest first.' },
    errors: { 404: ['comment_not_found'] },
    handler: ({ viewer, params, query }, { threads }) => threads.replies(params.id, query, viewer),
  }),
];
