import express from 'express';
import { CommentParams, EditCommentRequest, PostCommentRequest, ThreadParams } from '@parley/contracts';
import { validated } from '@parley/platform';
import { authenticate, type TokenVerifier, type Viewer } from '@parley/tokens';
import type { Request } from 'express';
import type { CommentsService } from './comments.service';

/** `authenticate('required')` ran first, so a viewer is always there. */
const viewerOf = (req: Request): Viewer => req.viewer!;

export function commentsRoutes(comments: CommentsService, tokenVerifier: TokenVerifier): express.Router {
  const router = express.Router();
  const signedIn = authenticate(tokenVerifier, 'required');

  router.post(
    '/sites/:site/articles/:article/comments',
    signedIn,
    validated({ params: ThreadParams, body: PostCommentRequest }, async ({ params, body }, req, res) => {
      const comment = await comments.post(viewerOf(req), params, body);
      res.status(201).json({ comment });
    }),
  );

  router.patch(
    '/comments/:id',
    signedIn,
    validated({ params: CommentParams, body: EditCommentRequest }, async ({ params, body }, req, res) => {
      res.json({ comment: await comments.edit(viewerOf(req), params.id, body) });
    }),
  );

  router.delete(
    '/comments/:id',
    signedIn,
    validated({ params: CommentParams }, async ({ params }, req, res) => {
      await comments.remove(viewerOf(req), params.id);
      res.status(204).end();
    }),
  );

  return router;
}
