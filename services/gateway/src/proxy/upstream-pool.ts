import type { Logger } from '@parley/platform';

/**
 * The nodes of one service (several comments nodes behind one gateway). Requests go round-robin to
 * the nodes that answered their last health check; a node that refuses a connection is taken out
 * at once and comes back when `/readyz` answers again (a draining node answers 503, so it leaves
 * before it stops). With no healthy node left, every node is tried rather than none.
 */
export interface UpstreamPool {
  readonly name: string;
  readonly targets: readonly string[];
  /** The next node to try, skipping those in `exclude` (already tried for this request). */
  pick(exclude?: ReadonlySet<string>): string | undefined;
  markDown(target: string, reason: string): void;
  healthy(): string[];
  /** Checks every node now (also done every `intervalMs` once started). */
  check(): Promise<void>;
  start(): void;
  stop(): void;
}

export function createUpstreamPool(options: {
  name: string;
  targets: string[];
  logger: Logger;
  intervalMs?: number;
  checkPath?: string;
}): UpstreamPool {
  const { name, targets, logger } = options;
  const up = new Map(targets.map((target) => [target, true]));
  let next = 0;
  let timer: NodeJS.Timeout | undefined;

  function set(target: string, healthy: boolean, reason?: string) {
    if (up.get(target) === healthy) return;
    up.set(target, healthy);
    if (healthy) logger.info({ upstream: name, target }, 'upstream back');
    else logger.warn({ upstream: name, target, reason }, 'upstream down');
  }

  async function checkOne(target: string) {
    try {
      const response = await fetch(`${target}${options.checkPath ?? '/readyz'}`, { signal: AbortSignal.timeout(1500) });
      set(target, response.ok, `readyz answered ${response.status}`);
    } catch (error) {
      set(target, false, (error as Error).message);
    }
  }

  return {
    name,
    targets,
    pick(exclude = new Set()) {
      const candidates = targets.filter((target) => up.get(target) && !exclude.has(target));
      const pool = candidates.length > 0 ? candidates : targets.filter((target) => !exclude.has(target));
      if (pool.length === 0) return undefined;
      next = (next + 1) % pool.length;
      return pool[next];
    },
    markDown: (target, reason) => set(target, false, reason),
    healthy: () => targets.filter((target) => up.get(target)),
    async check() {
      await Promise.all(targets.map(checkOne));
    },
    start() {
      timer ??= setInterval(() => void Promise.all(targets.map(checkOne)), options.intervalMs ?? 2000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
