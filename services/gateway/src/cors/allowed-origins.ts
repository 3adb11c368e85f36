import type { Logger } from '@parley/platform';

export interface AllowedOrigins {
  has(origin: string): boolean;
  /** Loads the list now; resolves even if the comments service is down (the old list stays). */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * The publisher origins allowed to call the API from a browser, as the comments service knows them
 * from its sites. The gateway has no database, so it polls `/internal/allowed-origins` and keeps
 * the last good answer.
 */
export function createAllowedOrigins(options: {
  /** A comments node to ask (any healthy one). */
  commentsUrl: () => string;
  refreshSeconds: number;
  logger: Logger;
  always?: string[];
}): AllowedOrigins {
  let origins = new Set<string>(options.always ?? []);
  let timer: NodeJS.Timeout | undefined;

  async function refresh(): Promise<void> {
    try {
      const response = await fetch(`${options.commentsUrl()}/internal/allowed-origins`, { signal: AbortSignal.timeout(3000) });
      if (!response.ok) throw new Error(`answered ${response.status}`);
      const body = (await response.json()) as { origins?: unknown };
      if (!Array.isArray(body.origins)) throw new Error('unexpected body');
      origins = new Set([...(options.always ?? []), ...body.origins.filter((o): o is string => typeof o === 'string')]);
    } catch (error) {
      options.logger.warn({ err: (error as Error).message }, 'could not load allowed origins; keeping the previous list');
    }
  }

  timer = setInterval(() => void refresh(), options.refreshSeconds * 1000);
  timer.unref();

  return {
    has: (origin) => origins.has(origin),
    refresh,
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
