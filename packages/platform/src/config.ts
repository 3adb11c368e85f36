import { z } from 'zod';

/**
 * Parses the environment against a zod schema once at start-up. Every bad key is listed in one
 * message together with how to fix it, and the result is frozen.
 */
export function loadConfig<Schema extends z.ZodType>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
  service = 'parley',
): Readonly<z.infer<Schema>> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(
      `${service}: invalid configuration:\n${lines.join('\n')}\nFix these environment variables (see .env.example).`,
    );
  }
  return deepFreeze(parsed.data);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Common env helpers. */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
export const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');
export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/**
 * Express's `trust proxy` as one env string: "true"/"false", a hop count, or a list of
 * addresses/subnets/names ("loopback, 10.0.0.0/8"). It decides what `req.ip` is, and so which
 * address the per-client rate limits count. The gateway compiles it once (proxy-addr) for HTTP and
 * WebSocket upgrades alike; the services behind it trust one hop ("1"), the gateway, which sends
 * the client it counted as the only X-Forwarded-For entry.
 */
export const trustProxy = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value): boolean | number | string => {
      const trimmed = value.trim();
      if (trimmed === 'true') return true;
      if (trimmed === 'false') return false;
      if (/^\d+$/.test(trimmed)) return Number(trimmed);
      return trimmed;
    });
