import { sessionRevoked } from '@parley/platform';
import { RevokedSessionsPage } from '@parley/contracts';
import type { TokenVerifier } from './verifier';

/** Which sessions have ended, as far as this process knows. */
export interface RevocationList {
  isRevoked(sessionId: string): boolean | Promise<boolean>;
}

/** A verifier that also refuses tokens of ended sessions (401 `session_revoked`). */
export function withRevocations(verifier: TokenVerifier, revocations: RevocationList): TokenVerifier {
  return {
    async verify(token) {
      const claims = await verifier.verify(token);
      if (await revocations.isRevoked(claims.sid)) throw sessionRevoked();
      return claims;
    },
  };
}

export interface RevocationFeedOptions {
  /** The auth service's `/internal/revoked-sessions`. */
  url: string;
  /** How often to ask; a revoked session is refused on this node at most this long (plus one request) after it ended. */
  intervalMs: number;
  /** How long a revocation matters: the access-token lifetime (older tokens have expired anyway). */
  retainSeconds: number;
  now?: () => number;
  /** Told of each failed or recovered poll, so the owner can log a change of state once. */
  onError?: (error: Error | undefined) => void;
}

export interface RevocationFeed extends RevocationList {
  /** Called with the ids of sessions newly learned to be revoked (e.g. to drop their live sockets). */
  onRevoked(listener: (sessionIds: string[]) => void): void;
  /** Polls now (also done every `intervalMs` once started). */
  poll(): Promise<void>;
  start(): void;
  stop(): void;
}

/**
 * Follows the auth service's list of revoked sessions by polling it: small answers (only what is
 * new since the last poll), no shared schema, and it works in every topology, embedded included
 * (ADR 0006). Access tokens stay verifiable locally; only this set is shared.
 */
export function createRevocationFeed(options: RevocationFeedOptions): RevocationFeed {
  const now = options.now ?? Date.now;
  const revoked = new Map<string, number>();
  const listeners: ((ids: string[]) => void)[] = [];
  let since = new Date(now() - options.retainSeconds * 1000).toISOString();
  let timer: NodeJS.Timeout | undefined;
  let inflight: Promise<void> | undefined;
  let failing = false;

  async function fetchPage(): Promise<void> {
    const url = new URL(options.url);
    url.searchParams.set('since', since);
    const response = await fetch(url, { signal: AbortSignal.timeout(Math.max(1000, options.intervalMs * 2)) });
    if (!response.ok) throw new Error(`revoked sessions answered ${response.status}`);
    const page = RevokedSessionsPage.parse(await response.json());
    const fresh: string[] = [];
    for (const session of page.sessions) {
      if (!revoked.has(session.id)) fresh.push(session.id);
      revoked.set(session.id, Date.parse(session.revokedAt));
    }
    // The cursor never runs ahead of this node's clock (see auth's revokedSince).
    since = Date.parse(page.until) > now() ? new Date(now()).toISOString() : page.until;
    const oldest = now() - options.retainSeconds * 1000;
    for (const [id, at] of revoked) if (at < oldest) revoked.delete(id);
    if (fresh.length > 0) for (const listener of listeners) listener(fresh);
  }

  async function poll(): Promise<void> {
    inflight ??= fetchPage()
      .then(() => {
        if (failing) options.onError?.(undefined);
        failing = false;
      })
      .catch((error: unknown) => {
        if (!failing) options.onError?.(error as Error);
        failing = true;
      })
      .finally(() => {
        inflight = undefined;
      });
    await inflight;
  }

  return {
    isRevoked: (sessionId) => revoked.has(sessionId),
    onRevoked: (listener) => void listeners.push(listener),
    poll,
    start() {
      if (timer) return;
      timer = setInterval(() => void poll(), options.intervalMs);
      timer.unref();
      void poll();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
