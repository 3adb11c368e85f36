import { randomUUID } from 'node:crypto';
import type { ColumnType, Kysely } from 'kysely';

/**
 * One outgoing mail, written in the same transaction as the change that causes it (a registration
 * and its verification mail commit together or not at all), then sent by the sender (sender.ts).
 * The service that owns the outbox creates this table in its schema (see auth's migration
 * 2026_12_02_0010_mail_outbox).
 */
export interface MailOutboxTable {
  id: string;
  /** What kind of mail (a template kind): for logs and metrics, never the content. */
  kind: string;
  to_address: string;
  subject: string;
  /** Cleared once sent: links in them (password reset) must not outlive the mail in the database. */
  text_body: string | null;
  html_body: string | null;
  /** Extra headers (List-Unsubscribe, …). */
  headers: ColumnType<Record<string, string>, string, string>;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Date;
  /** While `sending`: a sender that died mid-send leaves the row to be taken again after this. */
  claimed_until: Date | null;
  /** The transport's last error message (no content, no credentials). */
  last_error: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  sent_at: Date | null;
  /** Unique when set: the same notification asked for twice is queued once. */
  dedupe_key: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface MailOutboxDatabase {
  mail_outbox: MailOutboxTable;
}

export interface OutgoingMail {
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  /** When set, a second mail with the same key is not queued (see `enqueueMail`). */
  dedupeKey?: string;
}

/** A mail taken by a sender, ready to go. */
export interface ClaimedMail extends OutgoingMail {
  id: string;
  attempts: number;
}

/**
 * Adds a mail to the outbox; `db` may be a transaction, so the mail commits with the change it is
 * about. Returns undefined when a mail with the same `dedupeKey` is already there.
 */
export async function enqueueMail(db: Kysely<MailOutboxDatabase>, mail: OutgoingMail, now: Date): Promise<string | undefined> {
  const id = randomUUID();
  const inserted = await db
    .insertInto('mail_outbox')
    .values({
      id,
      kind: mail.kind,
      to_address: mail.to,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      headers: JSON.stringify(mail.headers ?? {}),
      status: 'pending',
      next_attempt_at: now,
      claimed_until: null,
      last_error: null,
      sent_at: null,
      created_at: now,
      dedupe_key: mail.dedupeKey ?? null,
    })
    .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

/**
 * Takes up to `limit` mails that are due (or whose sender died mid-send) for this sender alone:
 * `for update skip locked` lets several senders (several auth nodes) share one outbox without
 * taking the same row, and the lease keeps it theirs after the statement commits.
 */
export async function claimDueMail(db: Kysely<MailOutboxDatabase>, now: Date, leaseMs: number, limit: number): Promise<ClaimedMail[]> {
  const rows = await db
    .updateTable('mail_outbox')
    .set((eb) => ({ status: 'sending', claimed_until: new Date(now.getTime() + leaseMs), attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', (qb) =>
      qb
        .selectFrom('mail_outbox')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
            eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', now)]),
          ]),
        )
        .orderBy('next_attempt_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    to: row.to_address,
    subject: row.subject,
    text: row.text_body ?? '',
    html: row.html_body ?? '',
    headers: row.headers,
    attempts: row.attempts,
  }));
}

export async function markSent(db: Kysely<MailOutboxDatabase>, id: string, now: Date): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({ status: 'sent', sent_at: now, claimed_until: null, last_error: null, text_body: null, html_body: null })
    .where('id', '=', id)
    .execute();
}

/** Puts a mail back for a later try, or gives up on it (`retryAt` undefined). */
export async function markFailed(db: Kysely<MailOutboxDatabase>, id: string, error: string, retryAt: Date | undefined): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set(
      retryAt
        ? { status: 'pending', next_attempt_at: retryAt, claimed_until: null, last_error: error }
        : { status: 'failed', claimed_until: null, last_error: error, text_body: null, html_body: null },
    )
    .where('id', '=', id)
    .execute();
}

/** How many mails wait (pending or being sent): for the metrics gauge and the operations doc. */
export async function countWaitingMail(db: Kysely<MailOutboxDatabase>): Promise<number> {
  const row = await db
    .selectFrom('mail_outbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', 'in', ['pending', 'sending'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
