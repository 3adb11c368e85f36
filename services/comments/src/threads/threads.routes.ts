import { RepliesPage, RepliesParams, RepliesQuery, ThreadPage, ThreadParams, ThreadQuery } from '@parley/contracts';
import { route } from '../services';

/**
 * Public reads: anyone may read a discussion. A logged-in reader's token (optional; a bad one is
 * still refused) adds whether they reacted to each comment.
 */
export const threadsRoutes = [
  route({
    method: 'get',
    path: '/api/sites/:site/articles/:article/comments',
    operationId: 'getThread',
    summary: 'A page of an article\'s discussion',
    description:
      'Top-level comments, each with its first replies and reply count; keyset-paginated by `cursor`. An article nobody has commented on yet answers with an empty page.',
    tag: 'Threads',
    auth: 'optional',
    params: ThreadParams,
    query: ThreadQuery,
    parameterDescriptions: { site: 'The site id.', article: 'The publisher\'s article id (key).', cursor: 'The `nextCursor` of the previous page.' },
    response: { status: 200, schema: ThreadPage, description: 'The article and one page of its comments.' },
    errors: { 404: ['site_not_found'] },
    handler: ({ viewer, params, query }, { threads }) => threads.thread(params, query, viewer),
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
