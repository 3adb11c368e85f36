import express from 'express';
import { CommentParams } from '@parley/contracts';
import { validated } from '@parley/platform';
import { authenticate, type TokenVerifier } from '@parley/tokens';
import type { ReactionsService } from './reactions.service';

export function reactionsRoutes(reactions: ReactionsService, tokenVerifier: TokenVerifier): express.Router {
  const router = express.Router();
  const signedIn = authenticate(tokenVerifier, 'required');

  router.put(
    '/comments/:id/reaction',
    signedIn,
    validated({ params: CommentParams }, async ({ params }, req, res) => {
      res.json(await reactions.react(req.viewer!, params.id));
    }),
  );

  router.delete(
    '/comments/:id/reaction',
    signedIn,
    validated({ params: CommentParams }, async ({ params }, req, res) => {
      res.json(await reactions.unreact(req.viewer!, params.id));
    }),
  );

  return router;
}
