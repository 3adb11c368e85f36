import express from 'express';
import { RepliesParams, RepliesQuery, ThreadParams, ThreadQuery } from '@parley/contracts';
import { validated } from '@parley/platform';
import type { ThreadsService } from './threads.service';

/** Public reads: anyone may read a discussion, logged in or not. */
export function threadsRoutes(threads: ThreadsService): express.Router {
  const router = express.Router();

  router.get(
    '/sites/:site/articles/:article/comments',
    validated({ params: ThreadParams, query: ThreadQuery }, async ({ params, query }, _req, res) => {
      res.json(await threads.thread(params, query));
    }),
  );

  router.get(
    '/comments/:id/replies',
    validated({ params: RepliesParams, query: RepliesQuery }, async ({ params, query }, _req, res) => {
      res.json(await threads.replies(params.id, query));
    }),
  );

  return router;
}
