import type { DigestNotificationRequest, QueueNotificationRequest, ReplyNotificationRequest } from '@parley/contracts';

/**
 * Where notices go: auth, which holds the addresses, languages and settings
 * (`POST /internal/notifications/reply` and `/digest`). Both are idempotent at auth (a dedupe key
 * per reply and recipient, per digest batch), so the follower may hand a notice over twice.
 */
export interface AuthMailbox {
  replyPosted(request: ReplyNotificationRequest): Promise<void>;
  digestDue(request: DigestNotificationRequest): Promise<void>;
  queueChanged(request: QueueNotificationRequest): Promise<void>;
}

/** A refusal that will not get better by asking again (auth answered 4xx): the notice is dropped. */
export class PermanentRefusal extends Error {}

export function authMailbox(authInternalUrl: string, timeoutMs = 5_000): AuthMailbox {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(new URL(path, authInternalUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    if (response.status >= 500) throw new Error(`auth answered ${response.status}`);
    if (!response.ok) throw new PermanentRefusal(`auth refused the notice (${response.status})`);
  };
  return {
    replyPosted: (request) => post('/internal/notifications/reply', request),
    digestDue: (request) => post('/internal/notifications/digest', request),
    queueChanged: (request) => post('/internal/notifications/queue', request),
  };
}
