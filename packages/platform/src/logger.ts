import pino, { type Logger } from 'pino';
import { isColorSupported, prettyFactory } from 'pino-pretty';

export type { Logger };

/** Paths that must never reach a log line, wherever they appear in a logged object. */
const redactPaths = [
  'password',
  'accessToken',
  'refreshToken',
  'token',
  'authorization',
  '*.password',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

/** JSON lines for machines (containers, CI, log shippers); one readable line per entry for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';

/**
 * LOG_FORMAT when set, otherwise pretty on a terminal and JSON anywhere else — so `pnpm start` in a
 * terminal is readable while the same process under docker or CI keeps writing JSON.
 */
export function logFormatFor(env: Record<string, string | undefined> = process.env, stdoutIsTerminal = process.stdout.isTTY === true): LogFormat {
  const chosen = env.LOG_FORMAT?.trim();
  if (chosen === 'json' || chosen === 'pretty') return chosen;
  if (chosen) throw new Error(`LOG_FORMAT must be "json" or "pretty", not "${chosen}".`);
  return stdoutIsTerminal ? 'pretty' : 'json';
}

export interface LoggerOptions {
  service: string;
  level?: string;
  /** Where lines go; standard output by default (tests capture them). */
  destination?: pino.DestinationStream;
  /** Defaults to `logFormatFor()`, except that a given destination gets JSON unless asked otherwise. */
  format?: LogFormat;
}

export function createLogger({ service, level = 'info', destination, format }: LoggerOptions): Logger {
  const options = {
    level,
    base: { service },
    redact: { paths: redactPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const chosen = format ?? (destination ? 'json' : logFormatFor());
  // Pretty lines are made from the JSON pino has already redacted, so a secret can't slip past redaction here.
  if (chosen === 'pretty') return pino(options, prettyStream(destination ?? pino.destination({ dest: 1, sync: true }), !destination && isColorSupported));
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that writes nothing, for tests that don't look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * Formats in this process, synchronously (not in a transport worker), so that the last lines before
 * `process.exit` are never lost and lines of the services sharing one terminal stay in order.
 */
function prettyStream(target: pino.DestinationStream, colorize: boolean): pino.DestinationStream {
  const pretty = prettyFactory({
    colorize,
    translateTime: 'SYS:HH:MM:ss',
    hideObject: true,
    messageFormat: (log) => describeEntry(log),
  });
  return {
    write(line: string) {
      const text = pretty(line);
      if (text) target.write(text);
    },
  };
}

/** Fields every entry carries, or that the pretty line shows in its own place. */
const shownElsewhere = new Set(['level', 'time', 'pid', 'hostname', 'service', 'msg', 'requestId', 'err']);
const warnLevel = 40;

/**
 * The part of a pretty line after time and level: `gateway  GET /api/… 200 3.1 ms` for a request,
 * `auth  migrations applied applied=["…"]` otherwise, and an error's stack on the following lines.
 * Request ids are shown on warnings and errors only: that is when someone looks them up.
 */
export function describeEntry(log: Record<string, unknown>): string {
  const service = typeof log.service === 'string' ? log.service.padEnd(8) : '';
  const isRequest = log.msg === 'request' && typeof log.method === 'string' && typeof log.path === 'string';
  const head = isRequest ? `${String(log.method)} ${String(log.path)} ${String(log.status)} ${String(log.ms)} ms` : String(log.msg ?? '');
  const skip = isRequest ? new Set([...shownElsewhere, 'method', 'path', 'status', 'ms']) : shownElsewhere;
  const fields = Object.entries(log)
    .filter(([key, value]) => !skip.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${formatValue(value)}`);
  if (typeof log.level === 'number' && log.level >= warnLevel && typeof log.requestId === 'string') fields.push(`requestId=${log.requestId}`);
  const err = log.err as { message?: unknown; stack?: unknown } | string | undefined;
  let stack = '';
  if (typeof err === 'string') fields.push(`err=${formatValue(err)}`);
  else if (err && typeof err === 'object') {
    if (typeof err.stack === 'string') stack = `\n    ${err.stack.split('\n').join('\n    ')}`;
    else fields.push(`err=${formatValue(err.message ?? err)}`);
  }
  return `${service} ${head}${fields.length > 0 ? `  ${fields.join(' ')}` : ''}${stack}`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}
