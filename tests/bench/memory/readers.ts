import { io, type Socket } from 'socket.io-client';

/**
 * Idle readers for the memory benchmark, in a process of their own: N WebSocket connections that
 * each join one article (as the widget does) and then just wait. `warm` first opens and closes a
 * few, so code paths the server loads lazily are loaded before the "before" reading.
 */
const sockets: Socket[] = [];

async function open(url: string, count: number, join: { site: string; article: string }): Promise<Socket[]> {
  const opened: Socket[] = [];
  const batch = 200;
  for (let i = 0; i < count; i += batch) {
    const some = Array.from({ length: Math.min(batch, count - i) }, () =>
      io(url, { transports: ['websocket'], reconnection: false, forceNew: true }),
    );
    await Promise.all(
      some.map(
        (socket) =>
          new Promise<void>((resolve, reject) => {
            socket.once('connect', () => resolve());
            socket.once('connect_error', reject);
          }),
      ),
    );
    const acks = await Promise.all(some.map((socket) => socket.timeout(30_000).emitWithAck('article:join', join)));
    const refused = acks.find((ack: { ok: boolean }) => !ack.ok);
    if (refused) throw new Error(`article:join refused: ${JSON.stringify(refused)}`);
    opened.push(...some);
  }
  return opened;
}

interface Job {
  type: 'warm' | 'connect';
  url: string;
  count: number;
  join: { site: string; article: string };
}

process.on('message', (message: Job | { type: 'stop' }) => {
  const fail = (error: unknown) => {
    console.error(error);
    process.exit(1);
  };
  if (message.type === 'stop') {
    for (const socket of sockets) socket.disconnect();
    setTimeout(() => process.exit(0), 200);
    return;
  }
  open(message.url, message.count, message.join).then((opened) => {
    if (message.type === 'warm') for (const socket of opened) socket.disconnect();
    else sockets.push(...opened);
    process.send!({ type: message.type === 'warm' ? 'warmed' : 'connected', count: opened.length });
  }, fail);
});
process.on('disconnect', () => process.exit(0));
