import { io, type Socket } from 'socket.io-client';

/**
 * The client side of the fan-out benchmark, in its own process so that parsing N sockets'
 * messages doesn't share an event loop with the server being measured. It connects N sockets,
 * triggers an event (a real POST, or the baseline's plain broadcast), and records, for every
 * socket, the time from the trigger to that socket's receipt.
 */
interface Job {
  url: string;
  sockets: number;
  rounds: number;
  join?: { site: string; article: string };
  post?: { url: string; token: string };
  /** Wait for the parent's 'go' between phases (joined → rounds → idle), so it can read the load of each. */
  phases?: boolean;
}

/** Tells the parent a phase ended and waits for it to say go on. */
async function phase(job: Job, name: string): Promise<void> {
  if (!job.phases) return;
  process.send!({ type: 'phase', name });
  await new Promise<void>((resolve) => {
    const onMessage = (message: { type?: string }) => {
      if (message?.type !== 'go') return;
      process.off('message', onMessage);
      resolve();
    };
    process.on('message', onMessage);
  });
}

async function main(job: Job): Promise<void> {
  const sockets: Socket[] = [];
  const batch = 200;
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
    if (job.join) await Promise.all(opened.map((socket) => socket.timeout(30_000).emitWithAck('article:join', job.join)));
    sockets.push(...opened);
  }

  await phase(job, 'joined');
  const event = job.post ? 'comment:created' : 'tick';
  const samples: number[] = [];
  const lastPerRound: number[] = [];
  // Two unrecorded rounds first, so JIT warm-up on both sides doesn't count as latency.
  const warmUp = 2;
  for (let round = -warmUp; round < job.rounds; round++) {
    const recording = round >= 0;
    let received = 0;
    let last = 0;
    let started = 0;
    const done = new Promise<void>((resolve) => {
      for (const socket of sockets) {
        socket.once(event, () => {
          const ms = performance.now() - started;
          if (recording) samples.push(ms);
          last = Math.max(last, ms);
          if (++received === sockets.length) resolve();
        });
      }
    });
    started = performance.now();
    if (job.post) {
      const response = await fetch(`${job.post.url}/api/sites/${job.join!.site}/articles/${job.join!.article}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${job.post.token}` },
        body: JSON.stringify({ body: `Fan-out round ${round}` }),
      });
      if (response.status !== 201) throw new Error(`POST answered ${response.status}`);
    } else {
      sockets[0]!.emit('go');
    }
    await done;
    if (recording) lastPerRound.push(last);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await phase(job, 'rounds');
  for (const socket of sockets) socket.disconnect();
  process.send!({ samples, lastPerRound });
}

process.once('message', (job: Job) => {
  main(job).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
