import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type NextFunction, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { ErrorBody, FieldIssue } from '@parley/contracts';
import { AppError, invalidJson, notFound, payloadTooLarge } from './errors';
import type { Logger } from './logger';

declare module 'express-serve-static-core' {
  interface Request {
    /** The request id: taken from X-Request-Id when the gateway set one, otherwise new. */
    id: string;
    /** A logger whose lines carry this request's id. */
    log: Logger;
  }
}

export const requestIdHeader = 'x-request-id';
const acceptableRequestId = /^[A-Za-z0-9._:-]{8,128}$/;

/** Reads or makes the request id, echoes it on the response, and gives the request a child logger. */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get(requestIdHeader);
    req.id = incoming && acceptableRequestId.test(incoming) ? incoming : randomUUID();
    req.log = logger.child({ requestId: req.id });
    res.setHeader('X-Request-Id', req.id);
    next();
  };
}

/**
 * Logs one line per finished request, without headers or bodies (they may hold tokens). What a
 * person wants to see is at info: API calls that change something (`POST`, `PUT`, `PATCH`,
 * `DELETE` on `/api/*`, `/auth/*`) and every API call that failed. The rest is at debug: reads that
 * succeeded (a reader's page load is half a dozen of them, a viral story thousands a second; the
 * metrics count them), preflights, health probes, metrics scrapes, widget, console and docs files —
 * so they neither bury the `pnpm start` banner nor fill an operator's logs (`LOG_LEVEL=debug`
 * shows them).
 *
 * A service behind the gateway (`behindGateway`) logs the requests the gateway forwarded — they
 * carry its request id — at debug too, unless they failed on the server: the gateway has already
 * logged the same line with the same id, and two lines per call would halve what a terminal shows.
 */
export function accessLog(options: { behindGateway?: boolean } = {}): RequestHandler {
  const api = /^\/(api|auth)(\/|$)/;
  const reads = new Set(['GET', 'HEAD', 'OPTIONS']);
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const path = req.originalUrl.split('?')[0] ?? '';
      const status = res.statusCode;
      const routine = !api.test(path);
      const routineRead = !routine && reads.has(req.method) && status < 400;
      const loggedByGateway = options.behindGateway === true && req.get(requestIdHeader) === req.id;
      // A 503 from /readyz is its answer, not a fault: the check that failed logs its own warning.
      const level = status >= 500 && !(routine && status === 503) ? 'error' : routine || routineRead || loggedByGateway ? 'debug' : 'info';
      req.log[level]({ method: req.method, path, status, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}

export const jsonBody = (limit = '64kb') => express.json({ limit, strict: true });

export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
    const message =
      issue.code === 'unrecognized_keys'
        ? `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
        : issue.code === 'invalid_type' && issue.input === undefined
          ? 'is required'
          : issue.message;
    return { field: issue.code === 'unrecognized_keys' && issue.path.length === 0 ? 'body' : field, message };
  });
}

export function errorBody(error: AppError, requestId: string): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
      requestId,
    },
  };
}

export function sendError(res: Response, error: AppError, requestId: string): void {
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.status(error.status).json(errorBody(error, requestId));
}

/** Unknown routes answer 404 in the contract's error shape. */
export const routeNotFound: RequestHandler = (req, _res, next) =>
  next(notFound('route_not_found', `No route for ${req.method} ${req.path}.`));

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
  /** http-errors' flag: the message is meant for the client. */
  expose?: boolean;
}

/** The one error middleware: AppErrors as they are, parser errors mapped, everything else a logged 500. */
export function errorHandler(): ErrorRequestHandler {
  return (err: unknown, req, res, _next: NextFunction) => {
    const error = toAppError(err);
    if (error.status >= 500 && !(err instanceof AppError)) {
      req.log.error({ err: loggableError(err) }, 'unhandled error');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendError(res, error, req.id);
  };
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const parserError = err as BodyParserError;
  if (parserError?.type === 'entity.parse.failed') return invalidJson();
  if (parserError?.type === 'entity.too.large') return payloadTooLarge(`${Math.round((parserError.limit ?? 0) / 1024)} KB`);
  if (parserError?.type === 'encoding.unsupported' || parserError?.type === 'charset.unsupported') {
    return new AppError(415, 'validation_failed', 'The request body must be UTF-8 JSON.');
  }
  // The router could not decode a %-escape in the path (`/api/comments/%ZZ`).
  if (err instanceof URIError && parserError.status === 400) {
    return new AppError(400, 'validation_failed', 'The URL has a malformed %-escape; encode it with encodeURIComponent.');
  }
  // A body whose Content-Encoding (gzip, deflate, br) does not match what was sent.
  if (parserError?.status === 400 && parserError.expose && !parserError.type) {
    return new AppError(400, 'invalid_json', 'The request body could not be read: it does not match its Content-Encoding.');
  }
  return new AppError(500, 'internal_error', 'Something went wrong on our side; the request id helps us find it.');
}

/**
 * What an unexpected error may put in the log: its kind, message, stack and SQLSTATE, but never a
 * database error's `detail`, `where` or parameters, which quote the values of the statement
 * (comment bodies, names, emails).
 */
export function loggableError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const { code, severity, routine } = err as Error & { code?: unknown; severity?: unknown; routine?: unknown };
  return {
    type: err.name,
    message: err.message,
    stack: err.stack,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof severity === 'string' ? { severity } : {}),
    ...(typeof routine === 'string' ? { routine } : {}),
  };
}

export type HealthCheck = () => Promise<void>;

/** `/healthz` says the process is alive; `/readyz` runs the checks (database etc.) and answers 503 if one fails. */
export function healthRoutes(
  service: string,
  checks: Record<string, HealthCheck>,
  /** Reported in the answer but never making it 503 (a dependency the service works without, e.g. Redis). */
  informational: Record<string, HealthCheck> = {},
): express.Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service });
  });
  router.get('/readyz', async (req, res) => {
    const results: Record<string, 'ok' | 'failed'> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2000);
          results[name] = 'ok';
        } catch (err) {
          req.log.warn({ check: name, err: (err as Error).message }, 'readiness check failed');
          results[name] = 'failed';
        }
      }),
    );
    const ready = Object.values(results).every((result) => result === 'ok');
    // Checked after readiness is decided: these say how the service is, not whether it may serve.
    await Promise.all(
      Object.entries(informational).map(async ([name, check]) => {
        results[name] = await withTimeout(check(), 1000).then(
          () => 'ok' as const,
          () => 'failed' as const,
        );
      }),
    );
    if (!ready) res.setHeader('Retry-After', '5');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', service, checks: results });
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface ListenOptions {
  /** How long a client may take to send a request's headers (a slow sender is answered 408 and cut). Default 10 s. */
  headersTimeoutMs?: number;
  /** How long a client may take to send the whole request, body included. Default 30 s. */
  requestTimeoutMs?: number;
}

export interface HttpListener {
  server: http.Server;
  port: number;
  /** Stops accepting, closes idle keep-alive connections and resolves once in-flight requests are done. */
  close: () => Promise<void>;
}

export const defaultHeadersTimeoutMs = 10_000;
export const defaultRequestTimeoutMs = 30_000;

/**
 * Starts an HTTP server and resolves once it listens. A client that opens a connection and then
 * sends its request slowly (or never finishes it) is cut after the headers/request timeouts, so a
 * few such clients can't hold sockets for minutes. Upgraded sockets (WebSockets) and idle
 * keep-alive connections are not affected: keep-alive idling is `keepAliveTimeout`'s, kept longer
 * than the 60 s idle timeout of common load balancers.
 */
export async function listen(
  handler: http.RequestListener,
  port: number,
  host = '127.0.0.1',
  options: ListenOptions = {},
): Promise<HttpListener> {
  const headersTimeout = options.headersTimeoutMs ?? defaultHeadersTimeoutMs;
  const requestTimeout = options.requestTimeoutMs ?? defaultRequestTimeoutMs;
  const server = http.createServer(
    {
      ...expressPrototypes(handler),
      headersTimeout,
      requestTimeout,
      // Node looks for late requests only this often (30 s by default, which would let a 10 s
      // budget stretch to 40 s); a quarter of the shortest budget keeps the overshoot small.
      connectionsCheckingInterval: Math.max(50, Math.floor(Math.min(headersTimeout, requestTimeout) / 4)),
    },
    handler,
  );
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port, close: () => closeServer(server) };
}

/**
 * Express gives each request and response its app's prototype (`Object.setPrototypeOf` on every
 * request). On Node 20 that deoptimises Node's own HTTP code for every request after it: an
 * express hello world serves ~9,000 req/s where plain node:http serves ~33,000 (2 cores). Built
 * with those prototypes from the start, express's per-request setPrototypeOf changes nothing and
 * the cost is gone. Any other handler gets Node's own classes.
 */
function expressPrototypes(handler: http.RequestListener): Pick<http.ServerOptions, 'IncomingMessage' | 'ServerResponse'> {
  const { request, response } = handler as unknown as { request?: object; response?: object };
  if (!request || !response || !(request instanceof http.IncomingMessage) || !(response instanceof http.ServerResponse)) return {};
  // Node's IncomingMessage and ServerResponse are plain constructor functions, so they can be called on `this`.
  const incoming = http.IncomingMessage as unknown as (this: unknown, ...args: unknown[]) => void;
  const outgoing = http.ServerResponse as unknown as (this: unknown, ...args: unknown[]) => void;
  function Request(this: unknown, ...args: unknown[]) {
    incoming.apply(this, args);
  }
  Request.prototype = request;
  function Response(this: unknown, ...args: unknown[]) {
    outgoing.apply(this, args);
  }
  Response.prototype = response;
  return {
    IncomingMessage: Request as unknown as typeof http.IncomingMessage,
    ServerResponse: Response as unknown as typeof http.ServerResponse,
  };
}

/**
 * Stops accepting, lets in-flight requests finish, and closes. Keep-alive connections that go idle
 * after the close began (a poll that was in flight) are swept as they do, instead of holding the
 * server open for the whole keep-alive timeout; whatever is still open after `graceMs` is cut.
 */
export function closeServer(server: http.Server, graceMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close((err) => {
      clearInterval(sweep);
      clearTimeout(cut);
      if (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(err);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
