import type http from 'node:http';
import type { Socket } from 'node:net';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Kysely } from 'kysely';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@parley/contracts';
import type { Logger } from '@parley/platform';
import type { TokenVerifier } from '@parley/tokens';
import type { CommentsConfig } from '../config';
import type { CommentsDatabase } from '../database/tables';
import type { EventPublisher } from '../events/event-publisher';
import { listAllowedOrigins } from '../sites/sites.repository';
import { forgetIdentity, handleSessionRefresh, identityMiddleware, type LiveSocket, type SocketData } from './live.identity';
import { socketPublisher } from './live.publisher';
import { handleModerationRoom, joinIdentityRooms } from './live.moderation';
import { handleRooms } from './live.rooms';

export interface LiveDeps {
  server: http.Server;
  config: CommentsConfig;
  logger: Logger;
  tokenVerifier: TokenVerifier;
  db: Kysely<CommentsDatabase>;
  clock: () => Date;
}

export interface LiveServer {
  publisher: EventPublisher;
  /** Counts for health and metrics. */
  stats(): { sockets: number; rooms: number };
  /** Disconnects every socket (clients reconnect elsewhere) and closes the HTTP server it is attached to. */
  close(): Promise<void>;
  /** Throws when a configured Redis does not answer. */
  checkRedis(): Promise<void>;
  /** Drops the identity of this node's sockets whose session ended (each node follows the revocations itself). */
  endSessions(sessionIds: readonly string[]): void;
}

/**
 * The live stream: Socket.IO on the comments service's HTTP server, WebSocket transport only
 * (docs/adr/0005). One room per article; events reach it from the publisher after each write
 * commits. With REDIS_URL the streams adapter carries them to the other comments nodes and
 * resumes after a Redis blip; without it, the in-memory adapter serves this one node.
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
    redis = createClient({ url: config.redisUrl, socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) } });
    redis.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis connection problem; live events between nodes wait'));
    await redis.connect();
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

  io.use(identityMiddleware(deps.tokenVerifier, now));
  io.on('connection', (socket: LiveSocket) => {
    limitMessages(socket, config.live.messageLimit);
    handleSessionRefresh(socket, deps.tokenVerifier, now);
    handleRooms(socket, { db: deps.db, config, logger });
    joinIdentityRooms(socket);
    handleModerationRoom(socket);
  });

  return {
    publisher: socketPublisher(io, logger),
    stats: () => ({
      sockets: io.engine.clientsCount,
      rooms: [...io.of('/').adapter.rooms.keys()].filter((name) => name.startsWith('article:')).length,
    }),
    async checkRedis() {
      if (redis) await redis.ping();
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
