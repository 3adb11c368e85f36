import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimited } from './errors';

export interface RateRule {
  /** How many attempts are allowed… */
  points: number;
  /** …per this many seconds. */
  durationSeconds: number;
}

/** Where budgets are counted: this process's memory, or a Redis that every node shares. */
export interface RateLimitStore {
  /** A connected node-redis v4 client (`createClient` from `redis`). */
  redis?: unknown;
}

/**
 * A fixed-window limiter keyed by whatever the caller chooses (user id, email, client address).
 * `consume` throws a 429 AppError with Retry-After when the key is over its budget.
 *
 * With a Redis store the same key has one budget on every node (the 11th post in a window is
 * refused whichever node takes it). While Redis is unreachable each node counts in its own
 * memory instead (the insurance limiter): limits degrade to per node, they never block everyone
 * and never let a request wait for Redis.
 */
export class RateLimiter {
  private readonly limiter: RateLimiterAbstract;
  private readonly insurance: RateLimiterMemory | undefined;
  private readonly redis: { isReady?: boolean } | undefined;

  constructor(
    private readonly name: string,
    private readonly rule: RateRule,
    private readonly message?: string,
    store: RateLimitStore = {},
  ) {
    const options = { keyPrefix: `parley:rl:${name}`, points: rule.points, duration: rule.durationSeconds };
    this.redis = store.redis as { isReady?: boolean } | undefined;
    this.insurance = store.redis ? new RateLimiterMemory(options) : undefined;
    this.limiter = store.redis
      ? new RateLimiterRedis({
          ...options,
          storeClient: store.redis,
          useRedisPackage: true,
          // Straight to the insurance limiter while the connection is down, instead of queueing behind it.
          rejectIfRedisNotReady: true,
          insuranceLimiter: this.insurance,
        })
      : new RateLimiterMemory(options);
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
    // rate-limiter-flexible's delete doesn't look at the connection: it would queue behind a
    // reconnecting client and hold the request until Redis is back.
    if (this.redis && !this.redis.isReady) {
      await this.insurance?.delete(key);
      return;
    }
    await this.limiter.delete(key);
  }
}
