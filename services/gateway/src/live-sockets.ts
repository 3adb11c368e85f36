import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { RedisClient } from '@parley/platform';

/**
 * The WebSocket connections the gateway proxies: every one (upgraded sockets are invisible to
 * server.close(), so stop() ends them) and how many each client address holds, so one address
 * can't open thousands of sockets, each costing a comments node memory and a room subscription.
 *
 * With a shared Redis the count per address is one count over every gateway: each gateway keeps
 * its own share in a hash per address (field = this gateway's id) and a liveness key it renews,
 * so the shares of a gateway that died stop counting within `aliveSeconds`. While Redis is away
 * each gateway counts alone (a socket admitted then is never subtracted from Redis later).
 */
export interface LiveSockets {
  /**
   * Takes a place for `socket` from `address`, given back when the socket closes. False when the
   * address already holds its maximum (the caller refuses the upgrade).
   */
  admit(socket: Duplex, address: string): Promise<boolean>;
  /** Open sockets in all. */
  readonly size: number;
  destroyAll(): void;
  /** Stops renewing this gateway's liveness key (its shares lapse) and forgets them now. */
  stop(): Promise<void>;
}

const keyOf = (address: string) => `parley:live-sockets:${address}`;
const aliveKey = (gateway: string) => `parley:gateway-alive:${gateway}`;

// Atomic across gateways: drop the shares of gateways whose liveness key lapsed, sum the rest,
// and take a place for this gateway only under the maximum.
const admitScript = `
local fields = redis.call('HGETALL', KEYS[1])
local total = 0
for i = 1, #fields, 2 do
  if redis.call('EXISTS', ARGV[3] .. fields[i]) == 1 then
    total = total + tonumber(fields[i + 1])
  else
    redis.call('HDEL', KEYS[1], fields[i])
  end
end
if total >= tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('EXPIRE', KEYS[1], 86400)
return 1`;
const releaseScript = `
local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return left`;

export function createLiveSockets(maxPerAddress: number, shared: { redis?: RedisClient; aliveSeconds?: number } = {}): LiveSockets {
  const open = new Set<Duplex>();
  const heldBy = new Map<string, number>();
  const gateway = randomUUID();
  const redis = shared.redis;
  const aliveSeconds = shared.aliveSeconds ?? 30;

  const renew = async () => {
    if (redis?.isReady) await redis.set(aliveKey(gateway), '1', { EX: aliveSeconds }).catch(() => {});
  };
  const renewal = redis ? setInterval(() => void renew(), (aliveSeconds * 1000) / 3) : undefined;
  renewal?.unref();
  redis?.on('ready', () => void renew());
  void renew();

  /** Takes the place in Redis; undefined when Redis can't say (then this gateway counts alone). */
  async function takeShared(address: string): Promise<boolean | undefined> {
    if (!redis?.isReady) return undefined;
    try {
      await renew();
      const taken = await redis.eval(admitScript, { keys: [keyOf(address)], arguments: [gateway, String(maxPerAddress), 'parley:gateway-alive:'] });
      return taken === 1;
    } catch {
      return undefined;
    }
  }

  return {
    async admit(socket, address) {
      const held = heldBy.get(address) ?? 0;
      if (held >= maxPerAddress || socket.destroyed) return false;
      const sharedPlace = await takeShared(address);
      if (sharedPlace === false) return false;
      // A socket already gone would never emit 'close' again, and its place would never come back.
      if (socket.destroyed) {
        if (sharedPlace) void redis?.eval(releaseScript, { keys: [keyOf(address)], arguments: [gateway] }).catch(() => {});
        return false;
      }
      heldBy.set(address, (heldBy.get(address) ?? 0) + 1);
      open.add(socket);
      socket.once('close', () => {
        open.delete(socket);
        const left = (heldBy.get(address) ?? 1) - 1;
        if (left > 0) heldBy.set(address, left);
        else heldBy.delete(address);
        if (sharedPlace && redis?.isReady) void redis.eval(releaseScript, { keys: [keyOf(address)], arguments: [gateway] }).catch(() => {});
      });
      return true;
    },
    get size() {
      return open.size;
    },
    destroyAll() {
      for (const socket of open) socket.destroy();
    },
    async stop() {
      if (renewal) clearInterval(renewal);
      if (redis?.isReady) await redis.del(aliveKey(gateway)).catch(() => {});
    },
  };
}
