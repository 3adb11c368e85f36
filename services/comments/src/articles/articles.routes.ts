import express from 'express';
import { CountsParams, CountsQuery } from '@parley/contracts';
import { validated } from '@parley/platform';
import type { ArticlesService } from './articles.service';

export function articlesRoutes(articles: ArticlesService): express.Router {
  const router = express.Router();

  router.get(
    '/sites/:site/counts',
    validated({ params: CountsParams, query: CountsQuery }, async ({ params, query }, _req, res) => {
      res.json(await articles.counts(params.site, query.articles));
    }),
  );

  return router;
}
