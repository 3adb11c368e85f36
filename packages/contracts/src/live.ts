import { z } from 'zod';
import { Article, ArticleKey, Comment, SiteId, type ArticleEventType } from './comments';
import { QueueType } from './moderation';
import { ErrorCode } from './errors';

/**
 * The live stream (Socket.IO at /socket.io/ on the gateway origin, WebSocket transport only).
 * Every server event carries the article's `seq`; a client remembers the last one it applied and
 * passes it back as `sinceSeq` when it (re)joins, so nothing is missed across reconnects.
 */

export const JoinRequest = z.strictObject({
  site: SiteId,
  article: ArticleKey,
  /** The last seq this client applied; the ack then carries every later event, in order. */
  sinceSeq: z.number().int().min(0).optional(),
});
export type JoinRequest = z.infer<typeof JoinRequest>;

export const LeaveRequest = z.strictObject({ site: SiteId, article: ArticleKey });
export type LeaveRequest = z.infer<typeof LeaveRequest>;

export const RefreshIdentityRequest = z.strictObject({ token: z.string().min(1).max(4096) });
export type RefreshIdentityRequest = z.infer<typeof RefreshIdentityRequest>;

const EventBase = { site: z.string(), article: z.string(), seq: z.number().int().min(1) };

const commentEvent = <T extends ArticleEventType>(type: T) => z.object({ ...EventBase, type: z.literal(type), comment: Comment });

/** A comment appeared, changed or became a tombstone: the comment as REST presents it to readers. */
export const CommentEvent = z.discriminatedUnion('type', [
  commentEvent('comment:created'),
  commentEvent('comment:updated'),
  commentEvent('comment:removed'),
]);
export type CommentEvent = z.infer<typeof CommentEvent>;

export const ReactionEvent = z.object({
  ...EventBase,
  type: z.literal('reaction:updated'),
  commentId: z.uuid(),
  reactionCount: z.number().int().min(0),
});
export type ReactionEvent = z.infer<typeof ReactionEvent>;

export const ArticleUpdatedEvent = z.object({
  ...EventBase,
  type: z.literal('article:updated'),
  state: Article.shape.state,
  commentCount: z.number().int().min(0),
  /** The thread changed wholesale (history was imported into it): reload it rather than patch it. */
  resync: z.literal(true).optional(),
});
export type ArticleUpdatedEvent = z.infer<typeof ArticleUpdatedEvent>;

/**
 * One change to an article's discussion, in the one shape it is pushed to the article's room and
 * replayed in a join ack: the event's name in `type`, the article, its seq, and the payload.
 */
export const ArticleEvent = z.discriminatedUnion('type', [CommentEvent, ReactionEvent, ArticleUpdatedEvent]);
export type ArticleEvent = z.infer<typeof ArticleEvent>;
/** The article event pushed under the name `T`. */
export type ArticleEventOf<T extends ArticleEvent['type']> = Extract<ArticleEvent, { type: T }>;

/**
 * The article's seq as the node last pushed it, sent to quiet rooms every few seconds
 * (LIVE_HEARTBEAT_SECONDS): a reader that has applied less missed a push and catches up by rejoining.
 */
export const ArticleSeqEvent = z.object({ site: z.string(), article: z.string(), seq: z.number().int().min(0) });
export type ArticleSeqEvent = z.infer<typeof ArticleSeqEvent>;

/** Sent to the room `user:<id>` of every socket identified as that user. */
export const SessionBannedEvent = z.object({ site: z.string(), until: z.iso.datetime().nullable() });
export type SessionBannedEvent = z.infer<typeof SessionBannedEvent>;
export const SessionUnbannedEvent = z.object({ site: z.string() });
export type SessionUnbannedEvent = z.infer<typeof SessionUnbannedEvent>;

/**
 * To the room `user:<id>` of a comment's author: someone else replied to it (published, or a held
 * reply approved). Only where the reply is — it is public — never its text; `url` is the article
 * page's, when known, for a reply on another article.
 */
export const ReplyReceivedEvent = z.object({ site: z.string(), article: z.string(), commentId: z.uuid(), url: z.string().optional() });
export type ReplyReceivedEvent = z.infer<typeof ReplyReceivedEvent>;

export const queueChanges = ['added', 'updated', 'resolved'] as const;
/** A moderation queue change, sent to the `moderation` room after the write commits. */
export const ModerationQueueEvent = z.object({
  type: QueueType,
  commentId: z.uuid(),
  change: z.enum(queueChanges),
  site: z.string(),
});
export type ModerationQueueEvent = z.infer<typeof ModerationQueueEvent>;

export const LiveError = z.object({ code: ErrorCode, message: z.string() });
export type LiveError = z.infer<typeof LiveError>;

export const JoinAck = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    seq: z.number().int().min(0).describe("The article's current seq (0 before its first comment)."),
    events: z.array(ArticleEvent).describe('Events after `sinceSeq`, oldest first; empty when `sinceSeq` was not given.'),
    resync: z.boolean().describe('True when the client is too far behind to catch up event by event: reload the thread.'),
  }),
  z.object({ ok: z.literal(false), error: LiveError }),
]);
export type JoinAck = z.infer<typeof JoinAck>;

export type Ack<T = { ok: true }> = (response: T | { ok: false; error: LiveError }) => void;

export interface ClientToServerEvents {
  'article:join': (request: JoinRequest, ack: (response: JoinAck) => void) => void;
  'article:leave': (request: LeaveRequest, ack?: Ack) => void;
  /** Re-identify with a fresh access token (after `session:expired`, or before the old one lapses). */
  'session:refresh': (request: RefreshIdentityRequest, ack?: Ack<{ ok: true; userId: string }>) => void;
  /** Moderators and admins only: receive `moderation:queue` changes. Others get `forbidden`. */
  'moderation:join': (request: Record<string, never> | undefined, ack: Ack) => void;
  'moderation:leave': (request: Record<string, never> | undefined, ack?: Ack) => void;
}

export interface ServerToClientEvents {
  'comment:created': (event: ArticleEventOf<'comment:created'>) => void;
  'comment:updated': (event: ArticleEventOf<'comment:updated'>) => void;
  'comment:removed': (event: ArticleEventOf<'comment:removed'>) => void;
  'reaction:updated': (event: ReactionEvent) => void;
  'article:updated': (event: ArticleUpdatedEvent) => void;
  /** Heartbeat of a quiet article room: its seq; more than the reader applied → rejoin with `sinceSeq`. */
  'article:seq': (event: ArticleSeqEvent) => void;
  /** The socket's access token lapsed: it now counts as anonymous until `session:refresh`. */
  'session:expired': () => void;
  /** Something the client sent was refused (flooding, bad payload) without an ack to carry it. */
  'live:error': (error: LiveError) => void;
  /** To the banned user's own sockets: posting, editing, reacting and reporting on `site` are refused. */
  'session:banned': (event: SessionBannedEvent) => void;
  'session:unbanned': (event: SessionUnbannedEvent) => void;
  /** To the room `user:<id>`: someone replied to one of this user's comments (the widget's "new reply to you"). */
  'reply:received': (event: ReplyReceivedEvent) => void;
  /** To the moderation room: a moderation queue changed (reload or patch the console's list). */
  'moderation:queue': (event: ModerationQueueEvent) => void;
}

/** `connect_error` data when the handshake is refused. */
export interface HandshakeErrorData {
  code: ErrorCode;
}
