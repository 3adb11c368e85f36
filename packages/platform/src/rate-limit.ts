import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { rateLimited } from './errors';

export interface RateRule {
  /** How many attempts are allowed… */
  points: number;
  /** …per this many seconds. */
  durationSeconds: number;
}

/**
 * A fixed-window limiter keyed by whatever the caller chooses (user id, email, client address).
 * `consume` throws a 429 AppError with Retry-After when the key is over its budget.
 * In-memory for now: one counter per process (see docs/adr for the multi-node plan).
 */
export class RateLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(
    private readonly name: string,
    private readonly rule: RateRule,
    private readonly message?: string,
  ) {
    this.limiter = new RateLimiterMemory({ keyPrefix: name, points: rule.points, duration: rule.durationSeconds });
  }

  /** Throws the 429 when the key has used up its budget, without counting this call (see `count`). */
  async check(key: string): Promise<void> {
    const state = await this.limiter.get(key);
    if (state && state.consumedPoints >= this.rule.points) throw rateLimited(state.msBeforeNext / 1000, this.message);
  }

  /** Counts one against the key without refusing this call: for budgets of failures (checked with `check`). */
  async count(key: string): Promise<void> {
    await this.limiter.penalty(key);
  }

  async consume(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (result) {
      if (result instanceof RateLimiterRes) throw rateLimited(result.msBeforeNext / 1000, this.message);
      throw result;
    }
  }

  /** Forget a key's count, e.g. after a successful login. */
  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}
