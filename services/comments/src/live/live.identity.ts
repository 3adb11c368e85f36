import type { Socket } from 'socket.io';
import { can, RefreshIdentityRequest, type AccessTokenClaims, type ClientToServerEvents, type ServerToClientEvents } from '@parley/contracts';
import { AppError } from '@parley/platform';
import { viewerOf, type TokenVerifier, type Viewer } from '@parley/tokens';
import { joinedModerationRooms, userRoom } from './rooms';

export interface SocketData {
  viewer?: Viewer;
  expiryTimer?: NodeJS.Timeout;
}

export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/**
 * Who is on a socket. Without a token the socket is an anonymous reader. A token that is present
 * must be valid: a bad or expired one refuses the handshake with `connect_error` whose `data.code`
 * says why, rather than silently downgrading to anonymous. When a valid token lapses on a
 * long-open socket, the identity is dropped and the client told (`session:expired`); it may send
 * `session:refresh` with a new token.
 */
export function identityMiddleware(verifier: TokenVerifier, now: () => number) {
  return async (socket: LiveSocket, next: (error?: Error) => void) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (token === undefined || token === null || token === '') return next();
    try {
      if (typeof token !== 'string') throw new AppError(401, 'invalid_token', 'The token must be a string.');
      identify(socket, await verifier.verify(token), now);
      next();
    } catch (error) {
      next(handshakeError(error));
    }
  };
}

export function handleSessionRefresh(socket: LiveSocket, verifier: TokenVerifier, now: () => number): void {
  socket.on('session:refresh', async (raw, ack) => {
    const reply = typeof ack === 'function' ? ack : () => {};
    const parsed = RefreshIdentityRequest.safeParse(raw);
    if (!parsed.success) return reply({ ok: false, error: { code: 'validation_failed', message: 'Send {token}.' } });
    try {
      const claims = await verifier.verify(parsed.data.token);
      identify(socket, claims, now);
      reply({ ok: true, userId: claims.sub });
    } catch (error) {
      const appError = error instanceof AppError ? error : new AppError(401, 'invalid_token', 'The token is not valid.');
      reply({ ok: false, error: { code: appError.code, message: appError.message } });
    }
  });
  socket.on('disconnect', () => clearTimeout(socket.data.expiryTimer));
}

function identify(socket: LiveSocket, claims: AccessTokenClaims, now: () => number): void {
  clearTimeout(socket.data.expiryTimer);
  const previous = socket.data.viewer;
  socket.data.viewer = viewerOf(claims);
  // During the handshake the socket can't join rooms yet; joinIdentityRooms does it on connection.
  if (socket.connected) {
    if (previous && previous.id !== claims.sub) void socket.leave(userRoom(previous.id));
    void socket.join(userRoom(claims.sub));
    // A refreshed token may carry fewer powers: the socket asks for the moderation rooms again.
    for (const room of joinedModerationRooms(socket.rooms)) if (!can(socket.data.viewer, 'moderation.queue')) void socket.leave(room);
  }
  const msLeft = Math.max(0, claims.exp * 1000 - now());
  socket.data.expiryTimer = setTimeout(() => forgetIdentity(socket), msLeft);
  socket.data.expiryTimer.unref();
}

/**
 * Drops a socket's identity (its session ended, or its token lapsed): it hears neither its former
 * user's notices nor the moderation queue, and is told so it can refresh or log out.
 */
export function forgetIdentity(socket: LiveSocket): void {
  const viewer = socket.data.viewer;
  clearTimeout(socket.data.expiryTimer);
  socket.data.viewer = undefined;
  if (viewer) void socket.leave(userRoom(viewer.id));
  for (const room of joinedModerationRooms(socket.rooms)) void socket.leave(room);
  socket.emit('session:expired');
}

function handshakeError(error: unknown): Error {
  const appError = error instanceof AppError ? error : new AppError(401, 'invalid_token', 'The token is not valid.');
  const refused = new Error(appError.message) as Error & { data: { code: string } };
  refused.data = { code: appError.code };
  return refused;
}
