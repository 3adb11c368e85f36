import { z } from 'zod';
import { AppError } from '@parley/platform';

/**
 * Keyset cursors: the sort key of the last row a page returned, as base64url JSON. Opaque to
 * clients; validated on the way back in so a forged or stale-format cursor is a 400, never a
 * query error. The `k` field names the ordering so a cursor can't be replayed on another sort.
 */
const Timestamp = z.iso.datetime();
const Id = z.uuid();

const CursorPayload = z.discriminatedUnion('k', [
  z.strictObject({ k: z.literal('newest'), t: Timestamp, id: Id }),
  z.strictObject({ k: z.literal('oldest'), t: Timestamp, id: Id }),
  z.strictObject({ k: z.literal('top'), r: z.number().int().min(0), t: Timestamp, id: Id }),
  z.strictObject({ k: z.literal('replies'), t: Timestamp, id: Id }),
  // Moderation lists: queues oldest first, the log, bans and an author's history newest first.
  z.strictObject({ k: z.literal('reported'), t: Timestamp, id: Id }),
  z.strictObject({ k: z.literal('pending'), t: Timestamp, id: Id }),
  z.strictObject({ k: z.literal('removed'), t: Timestamp, id: Id }),
  z.strictObject({ k: z.literal('approved'), t: Timestamp, id: Id }),
  z.strictObject({ k: z.literal('articles'), t: Timestamp, id: Id }),
  z.strictObject({ k: z.literal('log'), t: Timestamp, id: Id }),
  z.strictObject({ k: z.literal('bans'), t: Timestamp, id: Id }),
  z.strictObject({ k: z.literal('history'), t: Timestamp, id: Id }),
  // The reader's own comments ("My comments"), newest first.
  z.strictObject({ k: z.literal('mine'), t: Timestamp, id: Id }),
]);
export type CursorPayload = z.infer<typeof CursorPayload>;
export type CursorKind = CursorPayload['k'];

export interface KeysetPosition {
  createdAt: Date;
  id: string;
  reactionCount: number;
}

export const invalidCursor = () =>
  new AppError(400, 'invalid_cursor', 'The cursor is not valid here; start again from the first page.');

export function encodeCursor(kind: CursorKind, row: KeysetPosition): string {
  const payload: CursorPayload =
    kind === 'top'
      ? { k: kind, r: row.reactionCount, t: row.createdAt.toISOString(), id: row.id }
      : { k: kind, t: row.createdAt.toISOString(), id: row.id };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/** The position to continue after; throws 400 `invalid_cursor` unless it is a cursor of `kind`. */
export function decodeCursor(kind: CursorKind, cursor: string): KeysetPosition {
  let raw: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const parsed = CursorPayload.safeParse(raw);
  if (!parsed.success || parsed.data.k !== kind) throw invalidCursor();
  const payload = parsed.data;
  return { createdAt: new Date(payload.t), id: payload.id, reactionCount: payload.k === 'top' ? payload.r : 0 };
}
