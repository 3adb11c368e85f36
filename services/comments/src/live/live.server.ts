import type http from 'node:http';
import type { Socket } from 'node:net';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Kysely } from 'kysely';
import { listen, type DatabaseSource } from '@parley/db';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import type { ArticleEvent, ClientToServerEvents, ServerToClientEvents } from '@parley/contracts';
import type { Logger } from '@parley/platform';
import type { TokenVerifier } from '@parley/tokens';
import type { CommentsConfig } from '../config';
import type { CommentsDatabase } from '../database/tables';
import type { EventPublisher } from '../events/event-publisher';
import { listAllowedOrigins } from '../sites/sites.repository';
import { forgetIdentity, handleSessionRefresh, identityMiddleware, type LiveSocket, type SocketData } from './live.identity';
import { socketPublisher } from './live.publisher';
import { articleRoom } from './rooms';
import { handleModerationRoom, joinIdentityRooms } from './live.moderation';
import { createLiveRelay } from './live.relay';
import { handleRooms } from './live.rooms';

export interface LiveDeps {
  server: http.Server;
  config: CommentsConfig;
  logger: Logger;
  tokenVerifier: TokenVerifier;
  db: Kysely<CommentsDatabase>;
  /** Where the database is: on PostgreSQL the relay LISTENs for other nodes' writes. */
  database: DatabaseSource;
  clock: () => Date;
}

export interface LiveServer {
  publisher: EventPublisher;
  /** Counts for health and metrics. */
  stats(): { sockets: number; rooms: number; relayListening: boolean };
  /** Disconnects every socket (clients reconnect elsewhere) and closes the HTTP server it is attached to. */
  close(): Promise<void>;
  /** Throws when a configured Redis does not answer. */
  checkRedis(): Promise<void>;
  /** Drops the identity of this node's sockets whose session ended (each node follows the revocations itself). */
  endSessions(sessionIds: readonly string[]): void;
}

/**
 * The live stream: Socket.IO on the comments service's HTTP server, WebSocket transport only
 * (docs/adr/0005). One room per article; each node's relay pushes to its own readers what the
 * `article_events` log holds, woken by this node's commits and by PostgreSQL NOTIFY for every
 * node's (docs/adr/0014), so article pushes never wait for Redis. With REDIS_URL the streams
 * adapter still carries the signals (moderation queue, ban notices) between nodes.
 */
export async function createLiveServer(deps: LiveDeps): Promise<LiveServer> {
  const { config, logger } = deps;
  const now = () => deps.clock().getTime();
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(deps.server, {
    path: '/socket.io/',
    transports: ['websocket'],
    serveClient: false,
    maxHttpBufferSize: config.live.maxPayloadBytes,
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      if (!origin) return callback(null, true);
      allowedOrigins()
        .then((origins) => callback(null, origins.has(origin)))
        .catch(() => callback(null, false));
    },
  });

  // Every TCP connection of the server, upgraded ones included, so shutdown can cut what lingers.
  const connections = new Set<Socket>();
  deps.server.on('connection', (socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });

  let redis: ReturnType<typeof createClient> | undefined;
  if (config.redisUrl) {
    redis = createClient({ url: config.redisUrl, socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000), connectTimeout: 2000 } });
    let redisDown = false;
    redis.on('error', (error: Error) => {
      if (!redisDown) logger.warn({ err: error.message }, 'redis unreachable: moderation and ban signals reach this node\'s sockets only until it is back (article pushes are not affected)');
      redisDown = true;
    });
    redis.on('ready', () => {
      if (redisDown) logger.info('redis reachable again: signals between nodes resume');
      redisDown = false;
    });
    // Not awaited: a node starts (and serves, and pushes) while Redis is away; the client keeps trying.
    redis.connect().catch(() => {});
    io.adapter(createAdapter(redis));
    logger.info('live: Redis streams adapter');
  }

  // The site allow-list changes rarely; reading it once per handshake burst is enough.
  let originsCache: { origins: Set<string>; at: number } | undefined;
  async function allowedOrigins(): Promise<Set<string>> {
    if (!originsCache || now() - originsCache.at > 30_000) {
      originsCache = { origins: new Set(await listAllowedOrigins(deps.db)), at: now() };
    }
    return originsCache.origins;
  }

  const relay = createLiveRelay({
    db: deps.db,
    logger,
    heartbeatMs: config.live.heartbeatMs,
    emit: (event) => pushArticleEvent(io, event),
    heartbeat: (event) => io.local.to(articleRoom(event.site, event.article)).emit('article:seq', event),
  });
  io.of('/').adapter.on('delete-room', (room: string) => {
    const named = articleOfRoom(room);
    if (named) relay.forget(named.site, named.article);
  });
  // Other nodes' commits. While this connection is down, notifications are lost: the log is
  // checked every second instead, and once more when it is back.
  let listenerDown = false;
  const listenSource: DatabaseSource =
    deps.database.kind === 'postgres' && config.databaseListenUrl ? { kind: 'postgres', url: config.databaseListenUrl } : deps.database;
  const listener = listen(listenSource, 'parley_article_events', {
    onMessage(payload) {
      try {
        const { site, article, seq } = JSON.parse(payload) as { site: string; article: string; seq: number };
        relay.wake(site, article, seq);
      } catch {
        // Not ours (someone else NOTIFYing on the channel): ignore.
      }
    },
    onState(connected, error) {
      if (connected) {
        if (listenerDown) logger.info('live relay: listening for other nodes\' events again');
        listenerDown = false;
        void relay.checkAll();
      } else {
        listenerDown = true;
        logger.warn({ err: error?.message }, 'live relay: cannot LISTEN for other nodes\' events; reading the log every second until it can');
      }
    },
  });
  const fallback = listener
    ? setInterval(() => {
        if (!listener.connected()) void relay.checkAll();
      }, 1000)
    : undefined;
  fallback?.unref();

  io.use(identityMiddleware(deps.tokenVerifier, now));
  io.on('connection', (socket: LiveSocket) => {
    limitMessages(socket, config.live.messageLimit);
    handleSessionRefresh(socket, deps.tokenVerifier, now);
    handleRooms(socket, { db: deps.db, config, logger, relay });
    joinIdentityRooms(socket);
    handleModerationRoom(socket);
  });

  return {
    publisher: socketPublisher(io, relay, logger, () => !redis || redis.isReady),
    stats: () => ({
      sockets: io.engine.clientsCount,
      rooms: [...io.of('/').adapter.rooms.keys()].filter((name) => name.startsWith('article:')).length,
      relayListening: listener ? listener.connected() : true,
    }),
    async checkRedis() {
      if (redis && !redis.isReady) throw new Error('the live signal connection is down');
    },
    endSessions(sessionIds) {
      const ended = new Set(sessionIds);
      for (const socket of io.of('/').sockets.values()) {
        if (socket.data.viewer && ended.has(socket.data.viewer.sessionId)) forgetIdentity(socket);
      }
    },
    async close() {
      // io.close() disconnects every socket and then closes the HTTP server, which waits for its
      // connections to end. Keep-alive connections that finish a request after that moment would
      // hold it open, so idle ones are swept until it closes, and after a grace period whatever
      // is left (a half-done upgrade, a stuck client) is cut.
      if (fallback) clearInterval(fallback);
      await listener?.close();
      await relay.close();
      const closed = new Promise<void>((resolve) => io.close(() => resolve()));
      const sweep = setInterval(() => deps.server.closeIdleConnections(), 100);
      const cut = setTimeout(() => {
        deps.server.closeAllConnections();
        for (const socket of connections) socket.destroy();
      }, config.live.shutdownGraceMs);
      await closed;
      clearInterval(sweep);
      clearTimeout(cut);
      // disconnect, not quit: quit waits for a reconnecting client to reach Redis first.
      if (redis?.isOpen) await redis.disconnect().catch(() => {});
    },
  };
}

/** The article a room is for (`article:<site>/<key>`; site ids never contain "/"). */
function articleOfRoom(room: string): { site: string; article: string } | undefined {
  if (!room.startsWith('article:')) return undefined;
  const slash = room.indexOf('/');
  return slash < 0 ? undefined : { site: room.slice('article:'.length, slash), article: room.slice(slash + 1) };
}

/**
 * Emits the event under its own name to this node's readers of the article. Narrowed name by
 * name, so each push is checked against the contract's listener for that name.
 */
function pushArticleEvent(io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>, event: ArticleEvent): void {
  const room = io.local.to(articleRoom(event.site, event.article));
  if (event.type === 'comment:created') room.emit(event.type, event);
  else if (event.type === 'comment:updated') room.emit(event.type, event);
  else if (event.type === 'comment:removed') room.emit(event.type, event);
  else if (event.type === 'reaction:updated') room.emit(event.type, event);
  else room.emit(event.type, event);
}

/**
 * A socket may send `points` messages per window. Past that, messages are dropped with a
 * `live:error`; a socket that keeps flooding at three times the budget is disconnected.
 */
function limitMessages(socket: LiveSocket, rule: { points: number; durationSeconds: number }): void {
  let windowStart = Date.now();
  let count = 0;
  socket.use((_packet, next) => {
    const at = Date.now();
    if (at - windowStart >= rule.durationSeconds * 1000) {
      windowStart = at;
      count = 0;
    }
    count += 1;
    if (count <= rule.points) return next();
    if (count > rule.points * 3) {
      socket.disconnect(true);
      return;
    }
    if (count === rule.points + 1) {
      socket.emit('live:error', { code: 'rate_limited', message: 'Too many messages; slow down.' });
    }
  });
}
