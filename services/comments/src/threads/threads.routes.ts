import express from 'express';
import { RepliesParams, RepliesQuery, ThreadParams, ThreadQuery } from '@parley/contracts';
import { validated } from '@parley/platform';
import { authenticate, type TokenVerifier } from '@parley/tokens';
import type { ThreadsService } from './threads.service';

/**
 * Public reads: anyone may read a discussion. A logged-in reader's token (optional; a bad one is
 * still refused) adds whether they reacted to each comment.
 */
export function threadsRoutes(threads: ThreadsService, tokenVerifier: TokenVerifier): express.Router {
  const router = express.Router();
  const maybeSignedIn = authenticate(tokenVerifier, 'optional');

  router.get(
    '/sites/:site/articles/:article/comments',
    maybeSignedIn,
    validated({ params: ThreadParams, query: ThreadQuery }, async ({ params, query }, req, res) => {
      res.json(await threads.thread(params, query, req.viewer));
    }),
  );

  router.get(
    '/comments/:id/replies',
    maybeSignedIn,
    validated({ params: RepliesParams, query: RepliesQuery }, async ({ params, query }, req, res) => {
      res.json(await threads.replies(params.id, query, req.viewer));
    }),
  );

  return router;
}
