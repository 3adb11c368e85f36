import type express from 'express';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { can, refusal, type Action, type ErrorCode, type Subject, type Viewer } from '@parley/contracts';
import { AppError, unauthenticated, validationFailed } from './errors';
import { toFieldIssues } from './http';
import type { Logger } from './logger';
import type { RateLimiter } from './rate-limit';

/**
 * One declaration per route: what the router mounts and what the OpenAPI document describes are
 * both made from it (see `mountRoutes` and `@parley/openapi`).
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** `none`: no token is read. `optional`: anonymous is fine, a token that is sent must be valid. `required`: 401 without one. */
export type Auth = 'none' | 'optional' | 'required';

export interface RouteResponse {
  status: number;
  description: string;
  /** A JSON body described by a contracts schema; absent for 204 and non-JSON answers. */
  schema?: z.ZodType;
  /** For non-JSON answers (scripts, HTML, static files). */
  contentType?: string;
}

/** A route as the API document sees it; routes served by other means (static files, the proxy) are described by this alone. */
export interface RouteDoc {
  method: HttpMethod;
  /** The public path, in express form (`/api/comments/:id`). */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  /** The document's section; `@parley/openapi` lists the known ones. */
  tag: string;
  auth: Auth;
  /** What the viewer must be allowed to do (the policy in contracts); checked after the token, 403 otherwise. */
  allow?: Action;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Descriptions of individual path or query parameters the schema alone doesn't explain. */
  parameterDescriptions?: Record<string, string>;
  response: RouteResponse;
  /** Route-specific errors by status: the codes its service answers with. */
  errors?: Partial<Record<number, ErrorCode[]>>;
  /** A route-level rate limit, by the name of a limiter the service mounts with, counted per client address or per viewer. */
  rateLimit?: { limiter: string; per: 'client' | 'viewer' };
  /** Headers set on every answer (e.g. `Cache-Control: no-store` on session answers). */
  headers?: Record<string, string>;
  /** Answers that are neither the success nor an `ErrorBody` error (a 503 health report, a refused upgrade). */
  otherResponses?: RouteResponse[];
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
type ViewerFor<A extends Auth> = A extends 'required' ? Viewer : A extends 'optional' ? Viewer | undefined : undefined;

export interface RouteContext<P, Q, B, A extends Auth> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  viewer: ViewerFor<A>;
  req: Request;
  res: Response;
  log: Logger;
}

export interface RouteDefinition<Deps, P = unknown, Q = unknown, B = unknown, A extends Auth = Auth> extends RouteDoc {
  auth: A;
  params?: P & z.ZodType;
  query?: Q & z.ZodType;
  body?: B & z.ZodType;
  /**
   * Does the one thing the route is for and returns the JSON body (sent with `response.status`),
   * or nothing for a 204. A handler that answered through `res` itself is left alone.
   */
  handler(context: RouteContext<P, Q, B, A>, deps: Deps): unknown;
}

/**
 * Declares routes against one service's dependencies: `const route = routesOf<Deps>()` then
 * `route({ … })` infers each route's schemas and viewer from what it declares.
 */
export function routesOf<Deps>() {
  return <P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined, A extends Auth = Auth>(
    definition: RouteDefinition<Deps, P, Q, B, A> & { params?: P; query?: Q; body?: B; auth: A },
  ): RouteDefinition<Deps> => definition as unknown as RouteDefinition<Deps>;
}

/**
 * Throws what the policy's refusal says (401 without a viewer, 403 with the code and sentence of
 * what is missing) unless `viewer` may do `action` on `subject`. Routes check the action; services
 * check again where the rule depends on the subject (only the author edits their comment).
 */
export function assertAllowed(viewer: Viewer | undefined, action: Action, subject?: Subject): asserts viewer is Viewer {
  if (can(viewer, action, subject)) return;
  if (!viewer) throw unauthenticated();
  const refused = refusal(viewer, action);
  throw new AppError(403, refused.code, refused.message);
}

/** Reads the viewer from a request's Authorization header: undefined without one, an error for a bad one. */
export type Authenticator = (authorization: string | undefined) => Promise<Viewer | undefined>;

export interface MountOptions<Deps> {
  deps: Deps;
  authenticate: Authenticator;
  /** The limiters routes name in `rateLimit`; a route naming one that is not here fails at start-up. */
  limiters?: Record<string, RateLimiter>;
}

/** Express's `:name` path parameters as OpenAPI's `{name}`. */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * Mounts each route with the same chain, in one fixed order: rate limit per client → authenticate
 * → rate limit per viewer → policy → validation (params, query, body; every bad field named) →
 * handler. Access is checked before input, so a caller without the right learns nothing from a
 * malformed request either.
 */
export function mountRoutes<Deps>(router: express.Router, routes: readonly RouteDefinition<Deps>[], options: MountOptions<Deps>): void {
  for (const route of routes) {
    const limiter = route.rateLimit ? options.limiters?.[route.rateLimit.limiter] : undefined;
    if (route.rateLimit && !limiter) throw new Error(`${route.operationId} names the rate limiter "${route.rateLimit.limiter}", which is not mounted.`);
    const per = route.rateLimit?.per;

    router[route.method](route.path, async (req: Request, res: Response, next: express.NextFunction) => {
      try {
        if (limiter && per === 'client') await limiter.consume(req.ip ?? req.socket.remoteAddress ?? 'unknown');
        const viewer = route.auth === 'none' ? undefined : await options.authenticate(req.get('authorization'));
        if (route.auth === 'required' && !viewer) throw unauthenticated();
        if (limiter && per === 'viewer' && viewer) await limiter.consume(viewer.id);
        if (route.allow) assertAllowed(viewer, route.allow);

        const input = parseInput(route, req);
        const context = { ...input, viewer, req, res, log: req.log } as RouteContext<unknown, unknown, unknown, Auth>;
        for (const [name, value] of Object.entries(route.headers ?? {})) res.setHeader(name, value);
        const body = await route.handler(context, options.deps);
        if (res.headersSent) return;
        if (body === undefined) res.status(route.response.status === 200 ? 204 : route.response.status).end();
        else res.status(route.response.status).json(body);
      } catch (error) {
        next(error);
      }
    });
  }
}

/**
 * The places (`body.note`, `query.q`) where a string holds a NUL character. PostgreSQL refuses NUL
 * in text, so such input is answered 400 here rather than failing in the database.
 */
function nulCharacters(value: unknown, path: string, found: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => nulCharacters(item, `${path}.${index}`, found));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) nulCharacters(item, key.includes('\u0000') ? path : `${path}.${key}`, found);
    if (Object.keys(value).some((key) => key.includes('\u0000'))) found.push(path);
  }
  return found;
}

function parseInput(route: RouteDoc, req: Request): { params: unknown; query: unknown; body: unknown } {
  const input: Record<string, unknown> = {};
  const issues = [];
  for (const part of ['params', 'query', 'body'] as const) {
    const raw = part === 'body' ? (req.body ?? {}) : { ...req[part] };
    for (const path of nulCharacters(raw, part)) {
      issues.push({ field: path.replace(/^(body|params|query)\./, ''), message: 'must not contain NUL characters' });
    }
  }
  if (issues.length > 0) throw validationFailed(issues);
  for (const part of ['params', 'query', 'body'] as const) {
    const schema = route[part];
    if (!schema) continue;
    const raw = part === 'body' ? (req.body ?? {}) : { ...req[part] };
    const result = schema.safeParse(raw);
    if (result.success) input[part] = result.data;
    else issues.push(...toFieldIssues(result.error));
  }
  if (issues.length > 0) throw validationFailed(issues);
  return input as { params: unknown; query: unknown; body: unknown };
}
