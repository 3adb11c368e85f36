import type { Kysely } from 'kysely';
import { enqueueMail, renderMail, smtpTransport, startMailSender, type MailLocale, type MailOutboxDatabase, type MailSender, type MailTemplate, type MailTransport } from '@parley/mail';
import type { Logger } from '@parley/platform';
import type { AuthConfig } from '../config';
import type { AuthDatabase } from '../database/tables';

export interface Mailer {
  /**
   * Renders a mail in the reader's language and puts it in the outbox; `db` may be the
   * transaction of the change the mail is about, so both commit or neither does.
   */
  queue(db: Kysely<AuthDatabase>, to: string, locale: MailLocale, template: MailTemplate, extra?: { headers?: Record<string, string>; dedupeKey?: string }): Promise<void>;
  /** Wakes the sender once the transaction that queued mail has committed. */
  kick(): void;
  /** A link into Parley's public pages, e.g. `link('/auth/pages/verify-email', token)`. */
  link(path: string, token: string): string;
  /** Whether anything sends the outbox (an SMTP server or the development catcher). */
  sending: boolean;
  /** One pass of the sender now (tests, after moving the clock); nothing when nothing sends. */
  flush(): Promise<{ sent: number; failed: number }>;
  stop(): Promise<void>;
}

export interface MailerDeps {
  db: Kysely<AuthDatabase>;
  config: AuthConfig['mail'];
  /** A transport of the caller's (the development catcher); SMTP_URL takes precedence. */
  transport?: MailTransport;
  /** Where links point, when the caller knows better than config (the embedded stack's gateway, once it listens). */
  linkBaseUrl?: () => string;
  clock: () => Date;
  logger: Logger;
}

/** The outbox is auth's: auth holds the addresses. */
const outboxOf = (db: Kysely<AuthDatabase>) => db as unknown as Kysely<MailOutboxDatabase>;

export function createMailer(deps: MailerDeps): Mailer {
  const ownTransport = deps.config.smtpUrl ? smtpTransport(deps.config.smtpUrl) : undefined;
  const transport = ownTransport ?? deps.transport;
  const log = deps.logger.child({ component: 'mail' });
  let sender: MailSender | undefined;
  if (transport) {
    sender = startMailSender({ db: outboxOf(deps.db), transport, from: deps.config.from, clock: deps.clock, log, pollMs: deps.config.pollMs, maxAttempts: deps.config.maxAttempts });
  } else {
    log.warn('SMTP_URL is not set: mail waits in the outbox (auth.mail_outbox) until it is');
  }
  return {
    async queue(db, to, locale, template, extra = {}) {
      const rendered = renderMail(template, locale);
      await enqueueMail(outboxOf(db), { kind: template.kind, to, ...rendered, ...extra }, deps.clock());
    },
    kick: () => sender?.kick(),
    link: (path, token) => `${deps.linkBaseUrl?.() ?? deps.config.linkBaseUrl}${path}?token=${encodeURIComponent(token)}`,
    sending: sender !== undefined,
    flush: async () => (sender ? sender.runOnce() : { sent: 0, failed: 0 }),
    async stop() {
      await sender?.stop();
      ownTransport?.close();
    },
  };
}
