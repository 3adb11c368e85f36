import { CountsParams, CountsQuery, CountsResponse } from '@parley/contracts';
import { route } from '../services';

export const articlesRoutes = [
  route({
    method: 'get',
    path: '/api/sites/:site/counts',
    operationId: 'getCommentCounts',
    summary: 'Comment counts of several articles',
    tag: 'Threads',
    auth: 'none',
    params: CountsParams,
    query: CountsQuery,
    parameterDescriptions: { articles: 'Comma-separated article keys, at most 100.' },
    response: { status: 200, schema: CountsResponse, description: 'Published comments per article key (0 for unknown articles).' },
    errors: { 404: ['site_not_found'] },
    headers: { Vary: 'Accept-Encoding' },
    handler: async ({ params, query, res }, { articles }) => {
      const counts = await articles.counts(params.site, query.articles);
      res.setHeader('Cache-Control', articles.publicCacheControl);
      return counts;
    },
  }),
];
