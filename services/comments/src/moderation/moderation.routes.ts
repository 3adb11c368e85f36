import express from 'express';
import {
  ArticleModerationRequest,
  AuthorHistoryQuery,
  BanRequest,
  BulkModerationRequest,
  CommentParams,
  ModerationLogQuery,
  ModerationQueueQuery,
  ModerationReasonRequest,
  OptionalReasonRequest,
  PageQuery,
  RemoveAllRequest,
  SiteParams,
  SiteUserParams,
  ThreadParams,
  UnbanQuery,
  UserParams,
  WordLists,
} from '@parley/contracts';
import { forbidden, validated } from '@parley/platform';
import { authenticate, requireRole, type TokenVerifier, type Viewer } from '@parley/tokens';
import type { Request } from 'express';
import type { CommentAction, commentActionsService } from './comment-actions.service';
import type { ModerationService } from './moderation.service';
import type { QueueService } from './queue.service';

/** `requireRole` ran first, so a viewer is always there. */
const moderatorOf = (req: Request): Viewer => req.viewer!;

export interface ModerationServices {
  actions: ReturnType<typeof commentActionsService>;
  queue: QueueService;
  moderation: ModerationService;
}

/**
 * `/api/moderation/*`: authenticate → moderator or admin → validate → one service call. Access is
 * checked before the input, so a reader learns nothing from a malformed request either.
 */
export function moderationRoutes(services: ModerationServices, tokenVerifier: TokenVerifier): express.Router {
  const { actions, queue, moderation } = services;
  const router = express.Router();
  router.use('/moderation', authenticate(tokenVerifier, 'required'), requireRole('moderator', 'admin'));

  router.get(
    '/moderation/queue',
    validated({ query: ModerationQueueQuery }, async ({ query }, _req, res) => {
      res.json(await queue.queue(query));
    }),
  );

  const needsReason: Record<CommentAction, boolean> = { remove: true, reject: true, restore: false, approve: false, dismiss: false };
  for (const action of ['remove', 'restore', 'approve', 'reject'] as const) {
    router.post(
      `/moderation/comments/:id/${action}`,
      validated(
        { params: CommentParams, body: needsReason[action] ? ModerationReasonRequest : OptionalReasonRequest },
        async ({ params, body }, req, res) => {
          res.json({ comment: await actions.act(moderatorOf(req), params.id, action, body.reason) });
        },
      ),
    );
  }

  router.post(
    '/moderation/comments/:id/reports/dismiss',
    validated({ params: CommentParams, body: OptionalReasonRequest }, async ({ params, body }, req, res) => {
      res.json({ comment: await actions.act(moderatorOf(req), params.id, 'dismiss', body.reason) });
    }),
  );

  router.post(
    '/moderation/comments/bulk',
    validated({ body: BulkModerationRequest }, async ({ body }, req, res) => {
      res.json(await actions.bulk(moderatorOf(req), body));
    }),
  );

  router.post(
    '/moderation/sites/:site/users/:userId/remove-all',
    validated({ params: SiteUserParams, body: RemoveAllRequest }, async ({ params, body }, req, res) => {
      res.json(await actions.removeAll(moderatorOf(req), params.site, params.userId, body.reason));
    }),
  );

  router.post(
    '/moderation/users/:userId/ban',
    validated({ params: UserParams, body: BanRequest }, async ({ params, body }, req, res) => {
      res.status(201).json({ ban: await moderation.ban(moderatorOf(req), params.userId, body) });
    }),
  );

  router.delete(
    '/moderation/users/:userId/ban',
    validated({ params: UserParams, query: UnbanQuery }, async ({ params, query }, req, res) => {
      await moderation.unban(moderatorOf(req), params.userId, query.site);
      res.status(204).end();
    }),
  );

  router.get(
    '/moderation/users/:userId/comments',
    validated({ params: UserParams, query: AuthorHistoryQuery }, async ({ params, query }, _req, res) => {
      res.json(await queue.authorHistory(params.userId, query));
    }),
  );

  router.get(
    '/moderation/sites/:site/bans',
    validated({ params: SiteParams, query: PageQuery }, async ({ params, query }, _req, res) => {
      res.json(await moderation.bans(params.site, query));
    }),
  );

  router.patch(
    '/moderation/sites/:site/articles/:article',
    validated({ params: ThreadParams, body: ArticleModerationRequest }, async ({ params, body }, req, res) => {
      res.json({ article: await moderation.updateArticle(moderatorOf(req), params.site, params.article, body) });
    }),
  );

  router.get(
    '/moderation/sites/:site/word-lists',
    validated({ params: SiteParams }, async ({ params }, _req, res) => {
      res.json(await moderation.wordLists(params.site));
    }),
  );

  router.put(
    '/moderation/sites/:site/word-lists',
    (req, _res, next) => next(req.viewer?.role === 'admin' ? undefined : forbidden('Only admins may change word lists.')),
    validated({ params: SiteParams, body: WordLists }, async ({ params, body }, req, res) => {
      res.json(await moderation.replaceWordLists(moderatorOf(req), params.site, body));
    }),
  );

  router.get(
    '/moderation/log',
    validated({ query: ModerationLogQuery }, async ({ query }, _req, res) => {
      res.json(await moderation.log(query));
    }),
  );

  return router;
}
