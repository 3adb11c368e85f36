import express from 'express';
import { ReplyNotificationRequest } from '@parley/contracts';
import { toFieldIssues, validationFailed } from '@parley/platform';
import type { NotificationsService } from './notifications.service';

/**
 * `POST /internal/notifications/reply`: the comments service tells auth that someone replied to a
 * user's comment (auth holds the addresses and the settings). Under /internal, which the gateway
 * never proxies. Answers what became of it, never the address.
 */
export function internalNotificationRoutes(notifications: NotificationsService): express.Router {
  const router = express.Router();
  router.post('/notifications/reply', async (req, res) => {
    const body = ReplyNotificationRequest.safeParse(req.body);
    if (!body.success) throw validationFailed(toFieldIssues(body.error));
    const outcome = await notifications.replyPosted(body.data);
    res.status(outcome === 'queued' ? 202 : 200).json({ outcome });
  });
  return router;
}
