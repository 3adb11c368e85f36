import pg from 'pg';
import type { DatabaseSource } from './connect';

export interface Listener {
  /** Whether the LISTEN connection is up right now (notifications may be missed while it is not). */
  connected(): boolean;
  close(): Promise<void>;
}

/**
 * LISTEN on a PostgreSQL channel over a connection of its own, reconnecting by itself (100 ms
 * doubling to 2 s). `onState(true)` after every (re)connection: what was sent while the
 * connection was down is gone, so the caller reads what it may have missed. Undefined for the
 * embedded database, which has no other process to hear from.
 */
export function listen(
  source: DatabaseSource,
  channel: string,
  handlers: { onMessage(payload: string): void; onState(connected: boolean, error?: Error): void },
): Listener | undefined {
  if (source.kind !== 'postgres') return undefined;
  let client: pg.Client | undefined;
  let up = false;
  let closed = false;
  let retries = 0;
  let timer: NodeJS.Timeout | undefined;

  const down = (error?: Error) => {
    if (closed) return;
    // Once per outage: on losing the connection, or on the first attempt failing.
    if (up || retries === 0) handlers.onState(false, error);
    up = false;
    client?.removeAllListeners();
    client?.end().catch(() => {});
    client = undefined;
    timer = setTimeout(open, Math.min(100 * 2 ** retries++, 2000));
  };

  async function open() {
    if (closed) return;
    const next = new pg.Client({ connectionString: source.kind === 'postgres' ? source.url : '', connectionTimeoutMillis: 2000, keepAlive: true });
    client = next;
    next.on('error', (error) => down(error));
    next.on('end', () => down(new Error('connection ended')));
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload) handlers.onMessage(message.payload);
    });
    try {
      await next.connect();
      await next.query(`listen ${pg.escapeIdentifier(channel)}`);
      if (closed || client !== next) return;
      up = true;
      retries = 0;
      handlers.onState(true);
    } catch (error) {
      if (client === next) down(error as Error);
    }
  }
  void open();

  return {
    connected: () => up,
    async close() {
      closed = true;
      clearTimeout(timer);
      const last = client;
      client = undefined;
      last?.removeAllListeners();
      last?.on('error', () => {});
      await last?.end().catch(() => {});
    },
  };
}
