import type { Duplex } from 'node:stream';

/**
 * The WebSocket connections the gateway proxies: every one (upgraded sockets are invisible to
 * server.close(), so stop() ends them) and how many each client address holds, so one address
 * can't open thousands of sockets, each costing a comments node memory and a room subscription.
 */
export interface LiveSockets {
  /**
   * Takes a place for `socket` from `address`, given back when the socket closes. False when the
   * address already holds its maximum (the caller refuses the upgrade).
   */
  admit(socket: Duplex, address: string): boolean;
  /** Open sockets in all. */
  readonly size: number;
  destroyAll(): void;
}

export function createLiveSockets(maxPerAddress: number): LiveSockets {
  const open = new Set<Duplex>();
  const heldBy = new Map<string, number>();
  return {
    admit(socket, address) {
      const held = heldBy.get(address) ?? 0;
      // A socket already gone would never emit 'close' again, and its place would never come back.
      if (held >= maxPerAddress || socket.destroyed) return false;
      heldBy.set(address, held + 1);
      open.add(socket);
      socket.once('close', () => {
        open.delete(socket);
        const left = (heldBy.get(address) ?? 1) - 1;
        if (left > 0) heldBy.set(address, left);
        else heldBy.delete(address);
      });
      return true;
    },
    get size() {
      return open.size;
    },
    destroyAll() {
      for (const socket of open) socket.destroy();
    },
  };
}
