import { createClient } from 'redis';
import type { Logger } from '@parley/platform';

export type RedisClient = ReturnType<typeof createClient>;

/**
 * The node's connection to the Redis its peers share (for rate limits), when REDIS_URL is set.
 * Connecting never blocks the node: requests are counted per node until Redis answers, and again
 * whenever it is away; the client reconnects by itself. A change of state is logged once.
 */
export function sharedRedis(url: string | undefined, logger: Logger): { client: RedisClient | undefined; up(): boolean; close(): Promise<void> } {
  if (!url) return { client: undefined, up: () => false, close: async () => {} };
  const client = createClient({ url, socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000), connectTimeout: 2000 } });
  let reported: 'up' | 'down' | undefined;
  client.on('ready', () => {
    if (reported !== 'up') logger.info('redis: rate limits are shared with the other nodes');
    reported = 'up';
  });
  client.on('error', (error: Error) => {
    if (reported !== 'down') logger.warn({ err: error.message }, 'redis unreachable: rate limits count on this node only until it is back');
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
