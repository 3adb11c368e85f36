import { createClient } from 'redis';
import type { Logger } from './logger';

export type RedisClient = ReturnType<typeof createClient>;

export interface SharedRedis {
  /** Unset without REDIS_URL: the node counts on its own. */
  client: RedisClient | undefined;
  /** Whether the connection is ready right now (the `redis_up` gauge, the informational check). */
  up(): boolean;
  close(): Promise<void>;
}

/**
 * A node's connection to the Redis its peers share (rate limits and counters that must be one
 * budget on every node), when REDIS_URL is set. Connecting never blocks the node: it counts on
 * its own until Redis answers, and again whenever it is away; the client reconnects by itself
 * (every 100 ms doubling to at most 2 s). A change of state is logged once, not per retry.
 */
export function sharedRedis(url: string | undefined, logger: Logger, purpose = 'rate limits'): SharedRedis {
  if (!url) return { client: undefined, up: () => false, close: async () => {} };
  const client = createClient({ url, socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000), connectTimeout: 2000 } });
  let reported: 'up' | 'down' | undefined;
  client.on('ready', () => {
    if (reported !== 'up') logger.info(`redis: ${purpose} are shared with the other nodes`);
    reported = 'up';
  });
  client.on('error', (error: Error) => {
    if (reported !== 'down') logger.warn({ err: error.message }, `redis unreachable: ${purpose} count on this node only until it is back`);
    reported = 'down';
  });
  client.connect().catch(() => {});
  return {
    client,
    up: () => client.isReady,
    async close() {
      // disconnect, not quit: quit waits for a reconnecting client to reach Redis first.
      if (client.isOpen) await client.disconnect().catch(() => {});
    },
  };
}
