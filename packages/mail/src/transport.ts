import nodemailer from 'nodemailer';

/** A mail as handed to a transport: one outbox row, addressed. */
export interface MailMessage {
  /** The outbox row id: also the Message-ID, so a mail sent again after a crash is recognisably the same. */
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export interface MailTransport {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

const domainOf = (address: string) => /@([^>\s]+)>?\s*$/.exec(address)?.[1] ?? 'parley.invalid';

/** SMTP through nodemailer: `smtp://user:pass@host:587`, `smtps://…:465`, query options as nodemailer reads them. */
export function smtpTransport(url: string, options: { timeoutMs?: number } = {}): MailTransport {
  const timeout = options.timeoutMs ?? 20_000;
  const transporter = nodemailer.createTransport(url, {});
  // Connection, greeting and socket timeouts: a stuck server must not hold a send for minutes.
  Object.assign(transporter.options, { connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
  return {
    async send(message) {
      await transporter.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: message.headers,
        messageId: `<${message.id}@${domainOf(message.from)}>`,
      });
    },
    close: () => transporter.close(),
  };
}

/** A mail the development catcher kept. */
export interface CaughtMail extends MailMessage {
  at: string;
}

/**
 * The catcher of `pnpm start` without SMTP: keeps the newest messages in memory so /dev/mail on
 * the gateway can show them. Nothing leaves the machine.
 */
export interface MailCatcher extends MailTransport {
  messages(): CaughtMail[];
  find(id: string): CaughtMail | undefined;
}

export function mailCatcher(options: { keep?: number; clock?: () => Date } = {}): MailCatcher {
  const keep = options.keep ?? 200;
  const clock = options.clock ?? (() => new Date());
  const caught: CaughtMail[] = [];
  return {
    async send(message) {
      caught.unshift({ ...message, at: clock().toISOString() });
      caught.length = Math.min(caught.length, keep);
    },
    close() {},
    messages: () => [...caught],
    find: (id) => caught.find((message) => message.id === id),
  };
}
