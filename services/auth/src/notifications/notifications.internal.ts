import express from 'express';
import { DigestNotificationRequest, QueueNotificationRequest, ReplyNotificationRequest } from '@parley/contracts';
import { toFieldIssues, validationFailed } from '@parley/platform';
import type { NotificationsService } from './notifications.service';

/**
 * `POST /internal/notifications/reply` and `/digest`: the comments service tells auth that someone
 * replied to a user's comment, or that a discussion they follow has new comments (auth holds the addresses and the settings). Under /internal, which the gateway
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
  // New comments in a discussion the recipient follows, batched by comments (ADR 0022).
  router.post('/notifications/digest', async (req, res) => {
    const body = DigestNotificationRequest.safeParse(req.body);
    if (!body.success) throw validationFailed(toFieldIssues(body.error));
    const outcome = await notifications.digestDue(body.data);
    res.status(outcome === 'queued' ? 202 : 200).json({ outcome });
  });
  // New items in the moderation queues, per site: auth picks the staff who opted in.
  router.post('/notifications/queue', async (req, res) => {
    const body = QueueNotificationRequest.safeParse(req.body);
    if (!body.success) throw validationFailed(toFieldIssues(body.error));
    res.status(202).json(await notifications.queueChanged(body.data));
  });
  return router;
}
