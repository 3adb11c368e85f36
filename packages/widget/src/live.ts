import { io, type Socket } from 'socket.io-client';
import type { ArticleEvent, ClientToServerEvents, HandshakeErrorData, JoinAck, ReplyReceivedEvent, ServerToClientEvents } from '@parley/contracts';
import { LiveSync } from './live-sync';
import type { Session } from './session';
import type { ThreadStore } from './thread-store';

/**
 * The live stream, loaded as a separate chunk (socket.io-client is most of its weight) only once a
 * thread is on screen. WebSocket transport only (docs/adr/0005-live-stream.md).
 */

export interface LiveOptions {
  baseUrl: string;
  site: string;
  article: string;
  store: ThreadStore;
  session: Session;
  reload(): Promise<void>;
  /** A moderator banned (or unbanned) this reader on a site, while the page is open. */
  onBan?(site: string, banned: boolean, until: string | null): void;
  /** Someone replied to one of the reader's comments (any article): the "new reply to you" badge. */
  onReply?(event: ReplyReceivedEvent): void;
  /** The socket lost its connection (false; socket.io keeps retrying) or has it again (true). */
  onConnection?(connected: boolean): void;
}

export interface LiveConnection {
  /** The reader logged in or out: reconnect with (or without) a token. */
  identityChanged(): void;
  close(): void;
}

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const joinTimeoutMs = 10_000;

export function connectLive(options: LiveOptions): LiveConnection {
  const { site, article, store, session } = options;
  const base = new URL(options.baseUrl);
  let currentToken: string | null = null;
  const socket: LiveSocket = io(base.origin, {
    path: `${base.pathname.replace(/\/$/, '')}/socket.io/`,
    transports: ['websocket'],
    withCredentials: false,
    // A function, so every (re)connection presents the token as it is now.
    auth: (callback) => {
      session
        .token()
        .catch(() => null)
        .then((token) => {
          currentToken = token;
          callback(token ? { token } : {});
        });
    },
  });

  const sync = new LiveSync({
    store,
    join: (sinceSeq) =>
      new Promise<JoinAck>((resolve, reject) => {
        socket.timeout(joinTimeoutMs).emit('article:join', { site, article, sinceSeq }, (error: Error | null, ack: JoinAck) =>
          error ? reject(error) : resolve(ack),
        );
      }),
    reload: options.reload,
    onError: () => {
      // Retry a refused or timed-out join shortly; the seq log means nothing is lost meanwhile.
      setTimeout(() => socket.connected && void sync.join(), 3_000);
    },
  });

  socket.on('connect', () => {
    options.onConnection?.(true);
    void sync.join();
  });
  socket.on('disconnect', () => options.onConnection?.(false));
  socket.on('connect_error', (error: Error & { data?: HandshakeErrorData }) => {
    const code = error.data?.code;
    if (code === 'token_expired' || code === 'invalid_token') {
      // A refused token is never silently downgraded: refresh (or fall back to anonymous) and retry.
      session
        .refresh()
        .catch(() => null)
        .finally(() => socket.connect());
    }
  });

  // Pushed events carry their type, in the shape a join ack replays them.
  const push = (event: ArticleEvent) => sync.push(event);
  socket.on('comment:created', push);
  socket.on('comment:updated', push);
  socket.on('comment:removed', push);
  socket.on('reaction:updated', push);
  socket.on('article:updated', push);
  socket.on('article:seq', (event) => {
    if (event.site === site && event.article === article) sync.heartbeat(event.seq);
  });

  socket.on('session:banned', (event) => options.onBan?.(event.site, true, event.until ?? null));
  socket.on('session:unbanned', (event) => options.onBan?.(event.site, false, null));
  socket.on('reply:received', (event) => options.onReply?.(event));

  socket.on('session:expired', () => {
    session
      .refresh()
      .then((token) => token && socket.emit('session:refresh', { token }))
      .catch(() => {});
  });

  return {
    identityChanged() {
      void session.token().then((token) => {
        if (token === currentToken) return;
        if (token && currentToken) {
          // Same socket, fresher token (a routine refresh).
          currentToken = token;
          socket.emit('session:refresh', { token });
          return;
        }
        // Logged in or out: a new handshake carries the new identity; the rejoin uses sinceSeq.
        socket.disconnect().connect();
      });
    },
    close() {
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}
