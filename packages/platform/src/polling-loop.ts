/**
 * A background job that works through what is due in passes: one pass at a time, the next
 * `pollMs` after the last one ended, and at once when kicked — a kick during a pass runs one more
 * right after it, so what was queued meanwhile does not wait for the poll. A pass that throws is
 * answered by `failed` (the caller logs why) and the poll tries again. The mail outbox sender, the
 * imported-author claims sender and the imported-author matcher are such jobs.
 */
export interface PollingLoop<T> {
  /** The pass under way (another follows it) or a new one: what it did. */
  run(): Promise<T>;
  /** run() without waiting; nothing once stopped. */
  kick(): void;
  /** Starts no new pass; resolves when the one under way has ended. */
  stop(): Promise<void>;
}

export function pollingLoop<T>(options: { pass: () => Promise<T>; pollMs: number; failed: (error: unknown) => T }): PollingLoop<T> {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<T> | undefined;
  let again = false;
  let stopped = false;

  function run(): Promise<T> {
    if (running) {
      again = true;
      return running;
    }
    running = options
      .pass()
      .catch(options.failed)
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          void run();
        }
      });
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      void run().finally(schedule);
    }, options.pollMs);
    timer.unref();
  }
  schedule();

  return {
    run,
    kick: () => {
      if (!stopped) void run();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
