import type { Kysely } from 'kysely';
import { ConfirmedAccountsResponse } from '@parley/contracts';
import { pollingLoop, type Logger } from '@parley/platform';
import type { CommentsDatabase } from '../database/tables';
import { claimImportedAuthors } from './imports.repository';

/** Which of these addresses belong to an account that confirmed them (auth owns accounts). */
export type ConfirmedAccounts = (emails: string[]) => Promise<{ email: string; userId: string }[]>;

/** Asks auth's `POST /internal/accounts/confirmed`, which only processes inside the deployment can reach. */
export function authConfirmedAccounts(authUrl: string, timeoutMs = 5_000): ConfirmedAccounts {
  return async (emails) => {
    const response = await fetch(new URL('/internal/accounts/confirmed', authUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ emails }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`the accounts service answered ${response.status}`);
    return ConfirmedAccountsResponse.parse(await response.json()).accounts;
  };
}

export interface AccountMatcher {
  /** Matches what is due now instead of at the next poll (after an import). */
  kick(): void;
  /** One pass now (tests). */
  flush(): Promise<{ claimed: number }>;
  stop(): Promise<void>;
}

const batch = 200;
const leaseMs = 2 * 60_000;
const retryMs = 60_000;
/** Rough, but enough to skip what zod's email check would refuse at auth (a whole batch would fail). */
const plausibleEmail = (email: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && email.length <= 254;

/**
 * Claims imported authors whose email an account confirmed *before* they were imported (the claim
 * auth sends at confirmation covers those imported earlier). Every comments node polls: it takes
 * due authors under a lease (`for update skip locked`), asks auth which addresses belong to
 * confirmed accounts, claims those, and marks the rest as asked. While auth is away they wait a
 * minute and are asked again; nothing is lost to a node that dies mid-pass (the lease runs out).
 */
export function startAccountMatcher(deps: { db: Kysely<CommentsDatabase>; accounts: ConfirmedAccounts; clock: () => Date; logger: Logger; pollMs: number }): AccountMatcher {
  const log = deps.logger.child({ component: 'imported-author-matcher' });

  async function pass(): Promise<{ claimed: number }> {
    let claimed = 0;
    for (;;) {
      const now = deps.clock();
      const due = await deps.db
        .updateTable('imported_authors')
        .set({ account_match_due: new Date(now.getTime() + leaseMs) })
        .where('id', 'in', (qb) =>
          qb.selectFrom('imported_authors').select('id').where('account_match_due', '<=', now).orderBy('account_match_due').limit(batch).forUpdate().skipLocked(),
        )
        .returning(['id', 'email', 'claimed_by'])
        .execute();
      if (due.length === 0) return { claimed };
      const emails = [...new Set(due.flatMap((row) => (row.email && !row.claimed_by && plausibleEmail(row.email.trim()) ? [row.email.trim().toLowerCase()] : [])))];
      let accounts: { email: string; userId: string }[] = [];
      try {
        if (emails.length > 0) accounts = await deps.accounts(emails);
      } catch (error) {
        const retryAt = new Date(deps.clock().getTime() + retryMs);
        await deps.db.updateTable('imported_authors').set({ account_match_due: retryAt }).where('id', 'in', due.map((row) => row.id)).execute();
        log.warn({ authors: due.length, retryAt, err: error instanceof Error ? error.message : String(error) }, 'could not ask the accounts service about imported authors; will retry');
        return { claimed };
      }
      await deps.db.transaction().execute(async (trx) => {
        for (const account of accounts) {
          const result = await claimImportedAuthors(trx, account.userId, account.email, deps.clock());
          claimed += result.authors;
        }
        await trx.updateTable('imported_authors').set({ account_match_due: null }).where('id', 'in', due.map((row) => row.id)).execute();
      });
      if (accounts.length > 0) log.info({ accounts: accounts.length }, 'imported authors claimed by accounts that had confirmed their email');
      if (due.length < batch) return { claimed };
    }
  }

  const loop = pollingLoop({
    pass,
    pollMs: deps.pollMs,
    failed: (error) => {
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'imported author matching pass failed');
      return { claimed: 0 };
    },
  });
  return { kick: loop.kick, flush: loop.run, stop: loop.stop };
}

