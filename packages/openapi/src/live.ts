import { z } from 'zod';
import {
  ArticleUpdatedEvent,
  CommentEvent,
  JoinAck,
  JoinRequest,
  LeaveRequest,
  LiveError,
  ModerationQueueEvent,
  ReactionEvent,
  RefreshIdentityRequest,
  SessionBannedEvent,
  SessionUnbannedEvent,
  ReplyReceivedEvent,
} from '@parley/contracts';
import type { Io } from './schemas';

/*
 * `JoinAck` is the contracts' own schema. The other acknowledgements are TypeScript types in
 * contracts/live.ts (`Ack<T>`), not zod schemas; these mirror them from the contracts' own pieces
 * so the document can show them.
 */
const refused = z.object({ ok: z.literal(false), error: LiveError });
export const LiveAck = z.union([z.object({ ok: z.literal(true) }), refused]);
export const SessionRefreshAck = z.union([z.object({ ok: z.literal(true), userId: z.string() }), refused]);
export const HandshakeAuth = z.object({
  token: z.string().optional().describe('An access token; without it the socket is anonymous (it may still watch).'),
});

/** Named so they become components like the contracts' own schemas (JoinAck is one of those). */
export const liveSchemas = { LiveAck, SessionRefreshAck, HandshakeAuth };

export interface LiveEventSpec {
  name: string;
  direction: 'client-to-server' | 'server-to-client';
  description: string;
  payload?: z.ZodType;
  ack?: z.ZodType;
  room?: string;
}

const articleRoom = 'article:<site>/<article> (every socket that joined the article)';

/** Mirrors `ClientToServerEvents` and `ServerToClientEvents` in contracts/live.ts. */
export const liveEvents: LiveEventSpec[] = [
  {
    name: 'article:join',
    direction: 'client-to-server',
    description: 'Watch an article. With `sinceSeq`, the ack carries every event after it, so nothing is missed across reconnects.',
    payload: JoinRequest,
    ack: JoinAck,
  },
  { name: 'article:leave', direction: 'client-to-server', description: 'Stop watching an article.', payload: LeaveRequest, ack: LiveAck },
  {
    name: 'session:refresh',
    direction: 'client-to-server',
    description: 'Re-identify with a fresh access token (after `session:expired`, or before the old one lapses).',
    payload: RefreshIdentityRequest,
    ack: SessionRefreshAck,
  },
  {
    name: 'moderation:join',
    direction: 'client-to-server',
    description: 'Moderators and admins only: receive `moderation:queue` changes. Others get `forbidden`.',
    ack: LiveAck,
  },
  { name: 'moderation:leave', direction: 'client-to-server', description: 'Stop receiving moderation queue changes.', ack: LiveAck },
  { name: 'comment:created', direction: 'server-to-client', description: 'A comment was published (or a held one approved).', payload: CommentEvent, room: articleRoom },
  { name: 'comment:updated', direction: 'server-to-client', description: 'A comment was edited or restored.', payload: CommentEvent, room: articleRoom },
  { name: 'comment:removed', direction: 'server-to-client', description: 'A comment became a tombstone (deleted by its author or removed by a moderator).', payload: CommentEvent, room: articleRoom },
  { name: 'reaction:updated', direction: 'server-to-client', description: "A comment's reaction count changed.", payload: ReactionEvent, room: articleRoom },
  { name: 'article:updated', direction: 'server-to-client', description: 'The article was closed or reopened, or its comment count changed.', payload: ArticleUpdatedEvent, room: articleRoom },
  { name: 'session:expired', direction: 'server-to-client', description: "The socket's access token lapsed: it counts as anonymous until `session:refresh`.", room: 'the socket itself' },
  { name: 'live:error', direction: 'server-to-client', description: 'Something the client sent was refused (flooding, bad payload) without an ack to carry it.', payload: LiveError, room: 'the socket itself' },
  { name: 'session:banned', direction: 'server-to-client', description: 'Posting, editing, reacting and reporting on `site` are now refused for this user.', payload: SessionBannedEvent, room: 'user:<id> (every socket of the banned user)' },
  { name: 'session:unbanned', direction: 'server-to-client', description: 'The ban on `site` was lifted.', payload: SessionUnbannedEvent, room: 'user:<id>' },
  { name: 'reply:received', direction: 'server-to-client', description: "Someone else replied to one of this user's comments (on any article): where the reply is, for a \"new reply to you\" badge.", payload: ReplyReceivedEvent, room: 'user:<id> (every socket of the comment\'s author)' },
  { name: 'moderation:queue', direction: 'server-to-client', description: 'A moderation queue changed (reload or patch the console list).', payload: ModerationQueueEvent, room: 'moderation (sockets that sent moderation:join)' },
];

/** Which way each schema is read: what a client sends is input, what the server sends is output. */
export function liveSchemaRoots(): Record<Io, z.ZodType[]> {
  const input: z.ZodType[] = [HandshakeAuth];
  const output: z.ZodType[] = [];
  for (const event of liveEvents) {
    if (event.payload) (event.direction === 'client-to-server' ? input : output).push(event.payload);
    if (event.ack) output.push(event.ack);
  }
  return { input, output };
}

export const liveDescription = [
  'Socket.IO at `/socket.io/` on the gateway origin, WebSocket transport only.',
  'Every server event carries the article\'s `seq`; a client remembers the last one it applied and passes it back as `sinceSeq` when it (re)joins.',
  'Readers may watch without a token; a token in the handshake `auth` identifies the user. A refused handshake\'s `connect_error` carries `data.code` (an error code).',
  'Payloads are the same presented shapes as the REST API.',
].join(' ');
