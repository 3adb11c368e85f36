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
    rule: RateRule,
    private readonly message?: string,
  ) {
    this.limiter = new RateLimiterMemory({ keyPrefix: name, points: rule.points, duration: rule.durationSeconds });
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
