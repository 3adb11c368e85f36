import type { Kysely } from 'kysely';
import { pollingLoop } from '@parley/platform';
import { claimDueMail, markFailed, markSent, type MailOutboxDatabase } from './outbox';
import type { MailTransport } from './transport';

/** The sender logs which mail (id, kind) and why it failed: never an address or the content. */
export interface MailLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface MailSenderOptions {
  db: Kysely<MailOutboxDatabase>;
  transport: MailTransport;
  /** The From header, e.g. `Parley <no-reply@comments.example.com>`. */
  from: string;
  clock: () => Date;
  log: MailLog;
  /** How often the outbox is looked at when nobody kicks the sender. */
  pollMs: number;
  /** After this many failed tries a mail is given up (status `failed`). */
  maxAttempts: number;
  /** How long a claimed mail stays this sender's before another may take it (a sender that died). */
  leaseMs?: number;
  batch?: number;
}

export interface MailSender {
  /** Sends what is due now instead of at the next poll (called after a mail is enqueued). */
  kick(): void;
  /** One pass over the outbox: what is due is sent, what fails waits for its next try. */
  runOnce(): Promise<{ sent: number; failed: number }>;
  stop(): Promise<void>;
}

/** Waits 30 s after the first failure, doubling up to 30 min: an SMTP outage of hours loses nothing. */
export const retryDelayMs = (attempts: number): number => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);

export function startMailSender(options: MailSenderOptions): MailSender {
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const batch = options.batch ?? 20;

  async function pass(): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    for (;;) {
      const claimed = await claimDueMail(options.db, options.clock(), leaseMs, batch);
      for (const mail of claimed) {
        try {
          await options.transport.send({ id: mail.id, from: options.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, headers: mail.headers ?? {} });
        } catch (error) {
          failed += 1;
          const reason = error instanceof Error ? error.message : String(error);
          const retryAt = mail.attempts >= options.maxAttempts ? undefined : new Date(options.clock().getTime() + retryDelayMs(mail.attempts));
          await markFailed(options.db, mail.id, reason.slice(0, 500), retryAt);
          options.log.warn({ mailId: mail.id, kind: mail.kind, attempts: mail.attempts, retryAt, err: reason }, retryAt ? 'mail not sent; will retry' : 'mail given up');
          continue;
        }
        sent += 1;
        await markSent(options.db, mail.id, options.clock());
      }
      // A full batch may mean more is due; a failure means the server is likely down, so stop for now.
      if (claimed.length < batch || failed > 0) return { sent, failed };
    }
  }

  const loop = pollingLoop({
    pass,
    pollMs: options.pollMs,
    failed: (error) => {
      // The database may be briefly away; the next poll tries again.
      options.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'mail outbox pass failed');
      return { sent: 0, failed: 0 };
    },
  });
  return { kick: loop.kick, runOnce: loop.run, stop: loop.stop };
}
