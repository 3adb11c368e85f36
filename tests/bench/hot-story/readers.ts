import { io, type Socket } from 'socket.io-client';

/**
 * The hot story's live readers, in a process of their own: N sockets through the gateway, each
 * watching the one article. Every `comment:created` is timestamped on arrival (wall clock, so the
 * poster in another process can be compared with it); on `stop` the receipts go back over IPC.
 */
interface Job {
  url: string;
  sockets: number;
  site: string;
  article: string;
}

const sockets: Socket[] = [];
/** comment id → arrival times (ms since the epoch, sub-millisecond) at each socket. */
const receipts = new Map<string, number[]>();
const now = () => performance.timeOrigin + performance.now();

async function start(job: Job): Promise<void> {
  const batch = 100;
  for (let i = 0; i < job.sockets; i += batch) {
    const opened = Array.from({ length: Math.min(batch, job.sockets - i) }, () =>
      io(job.url, { transports: ['websocket'], reconnection: false, forceNew: true }),
    );
    await Promise.all(
      opened.map(
        (socket) =>
          new Promise<void>((resolve, reject) => {
            socket.once('connect', () => resolve());
            socket.once('connect_error', reject);
          }),
      ),
    );
    await Promise.all(opened.map((socket) => socket.timeout(30_000).emitWithAck('article:join', { site: job.site, article: job.article })));
    for (const socket of opened) {
      socket.on('comment:created', (event: { comment: { id: string } }) => {
        const at = now();
        const list = receipts.get(event.comment.id);
        if (list) list.push(at);
        else receipts.set(event.comment.id, [at]);
      });
    }
    sockets.push(...opened);
  }
  process.send!({ type: 'ready' });
}

process.on('message', (message: { type: string; job?: Job }) => {
  if (message.type === 'start' && message.job) {
    start(message.job).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  }
  if (message.type === 'stop') {
    for (const socket of sockets) socket.disconnect();
    process.send!({ type: 'receipts', receipts: [...receipts] }, () => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
