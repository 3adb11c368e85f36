import type { Kysely } from 'kysely';
import { pollingLoop, type Logger } from '@parley/platform';
import type { AuthDatabase } from '../database/tables';
import { finishClaim, postponeClaim, queueClaim, takeDueClaims } from './claims.repository';

/**
 * What the comments service said to one claim: `claimed` (or nothing to claim), or `refused` for
 * good (a 4xx: the request itself is wrong, and sending it again would not help). A failure to
 * get an answer (comments down, a 5xx, a timeout) is thrown, and the claim is tried again later.
 */
export type ClaimAnswer = 'claimed' | 'refused';
export type SendClaim = (claim: { userId: string; email: string }) => Promise<ClaimAnswer>;

/**
 * `POST /internal/imported-authors/claim` of the comments service (ADR 0016): every imported
 * author with this email, and their comments, become the account's. Idempotent on comments' side,
 * so a claim sent twice (a lease that ran out, two nodes) changes nothing the second time.
 * `baseUrl` is read at each call: the embedded stack learns the comments port after auth starts.
 */
export function commentsClaimSender(baseUrl: () => string, timeoutMs = 5_000): SendClaim {
  return async ({ userId, email }) => {
    const response = await fetch(new URL('/internal/imported-authors/claim', baseUrl()), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, email, emailVerified: true }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return 'claimed';
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) return 'refused';
    throw new Error(`the comments service answered ${response.status}`);
  };
}

export interface ImportedAuthorClaims {
  /** Queues a claim in `db`, the transaction that confirmed the address; `kick()` once it has committed. */
  queue(db: Kysely<AuthDatabase>, userId: string, email: string): Promise<void>;
  /** Sends what is due now instead of at the next poll. */
  kick(): void;
  /** One pass now (tests, after moving the clock). */
  flush(): Promise<{ claimed: number; failed: number }>;
  stop(): Promise<void>;
}

/** 30 s after the first failure, doubling up to 30 min; never given up: a claim is small and comments comes back. */
export const claimRetryDelayMs = (attempts: number): number => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);

/**
 * Hands confirmed addresses to the comments service off the request path: queued with the
 * confirmation (a transactional outbox, so none is lost to a crash), sent after commit and on
 * every poll, retried with backoff until comments answers. Logs ids, never an address.
 */
export function startImportedAuthorClaims(deps: {
  db: Kysely<AuthDatabase>;
  send: SendClaim;
  clock: () => Date;
  logger: Logger;
  pollMs: number;
  leaseMs?: number;
}): ImportedAuthorClaims {
  const leaseMs = deps.leaseMs ?? 2 * 60_000;
  const batch = 20;
  const log = deps.logger.child({ component: 'imported-author-claims' });

  async function pass(): Promise<{ claimed: number; failed: number }> {
    let claimed = 0;
    let failed = 0;
    for (;;) {
      const due = await takeDueClaims(deps.db, deps.clock(), leaseMs, batch);
      for (const claim of due) {
        try {
          const answer = await deps.send(claim);
          if (answer === 'refused') log.warn({ userId: claim.userId }, 'the comments service refused a claim of imported authors; dropped');
          await finishClaim(deps.db, claim.id);
          claimed += 1;
        } catch (error) {
          failed += 1;
          const reason = (error instanceof Error ? error.message : String(error)).slice(0, 300);
          const retryAt = new Date(deps.clock().getTime() + claimRetryDelayMs(claim.attempts));
          await postponeClaim(deps.db, claim.id, retryAt, reason);
          log.warn({ userId: claim.userId, attempts: claim.attempts, retryAt, err: reason }, 'claim of imported authors not delivered; will retry');
        }
      }
      // A failure likely means comments is away: wait for the next poll rather than hammer it.
      if (due.length < batch || failed > 0) return { claimed, failed };
    }
  }

  const loop = pollingLoop({
    pass,
    pollMs: deps.pollMs,
    failed: (error) => {
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'claims pass failed');
      return { claimed: 0, failed: 0 };
    },
  });
  return {
    queue: (db, userId, email) => queueClaim(db, userId, email, deps.clock()),
    kick: loop.kick,
    flush: loop.run,
    stop: loop.stop,
  };
}
