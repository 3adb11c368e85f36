import type { z } from 'zod';
import { ErrorBody, errorCodes, roleCan, roles, type ErrorCode } from '@parley/contracts';
import { openApiPath, type RouteDoc, type RouteResponse } from '@parley/platform';
import { liveDescription, liveEvents, liveSchemaRoots, liveSchemas, HandshakeAuth } from './live';
import { tags, type Service, type Tag } from './tags';
import { buildSchemaCatalog, collectRefs, componentName, type SchemaCatalog } from './schemas';
import type { JsonSchema, OpenApiDocument, OperationObject, ParameterObject, PathItemObject, ResponseObject } from './types';

/** A route declaration and the process that answers it. */
interface RouteSpec extends RouteDoc {
  service: Service;
}
type Success = RouteResponse;

export interface BuildOptions {
  /** The route declarations each process exports (`routes` of @parley/auth, @parley/comments, @parley/gateway). */
  routes: Partial<Record<Service, readonly RouteDoc[]>>;
  /** The public origin clients call, e.g. `https://comments.example.com`; omitted, paths are relative to wherever the document was fetched from. */
  serverUrl?: string;
}

const bearerScheme = 'bearerAuth';
const retryAfterRef = { $ref: '#/components/headers/RetryAfter' };

const statusText: Record<number, string> = {
  400: 'Bad request',
  401: 'Not logged in, or the access token is not valid',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  415: 'Body is not UTF-8 JSON',
  422: 'Refused by a rule',
  429: 'Rate limited (see Retry-After)',
  500: 'Unexpected error (logged with the request id)',
  502: 'The upstream service is unavailable (see Retry-After)',
  504: 'The upstream service took too long',
};

/**
 * The errors a route answers by what it is, beside its own (`RouteSpec.errors`): input validation
 * (platform's `mountRoutes`), the body parser, token checks, the policy (`allow`),
 * rate limits (the gateway's coarse one on everything but health checks; some routes add their
 * own) and the gateway proxy's upstream failures.
 */
function commonErrors(route: RouteSpec, catalog: SchemaCatalog): Map<number, Set<ErrorCode>> {
  const errors = new Map<number, Set<ErrorCode>>();
  const add = (status: number, ...codes: ErrorCode[]) => {
    const set = errors.get(status) ?? new Set<ErrorCode>();
    for (const code of codes) set.add(code);
    errors.set(status, set);
  };
  const upstream = route.service !== 'gateway';
  if (route.params || route.query || route.body) add(400, 'validation_failed');
  if (route.query && hasProperty(catalog.body(route.query, 'input'), 'cursor')) add(400, 'invalid_cursor');
  if (route.body) {
    add(400, 'invalid_json');
    add(413, 'payload_too_large');
    add(415, 'validation_failed');
  }
  if (upstream && route.auth === 'required') add(401, 'unauthenticated', 'invalid_token', 'token_expired');
  if (upstream && route.auth === 'optional') add(401, 'invalid_token', 'token_expired');
  if (route.allow) add(403, 'forbidden');
  if (route.operationId !== 'healthz' && route.operationId !== 'readyz' && route.operationId !== 'liveStream') add(429, 'rate_limited');
  if (upstream) {
    add(500, 'internal_error');
    add(502, 'bad_gateway');
    add(504, 'gateway_timeout');
  }
  for (const [status, codes] of Object.entries(route.errors ?? {})) add(Number(status), ...(codes ?? []));
  return errors;
}

function hasProperty(schema: JsonSchema, name: string): boolean {
  const properties = schema.properties as Record<string, unknown> | undefined;
  return properties !== undefined && name in properties;
}

/** Splits a params or query object schema into OpenAPI parameters, one per property. */
function parameters(route: RouteSpec, catalog: SchemaCatalog): ParameterObject[] {
  const result: ParameterObject[] = [];
  const describe = (name: string) => route.parameterDescriptions?.[name];
  const fromSchema = (schema: z.ZodType | undefined, where: 'path' | 'query') => {
    if (!schema) return;
    const body = catalog.body(schema, 'input');
    const required = new Set((body.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries((body.properties ?? {}) as Record<string, JsonSchema>)) {
      const description = describe(name) ?? (property.description as string | undefined);
      result.push({ name, in: where, required: where === 'path' || required.has(name), ...(description ? { description } : {}), schema: property });
    }
  };
  fromSchema(route.params, 'path');
  // Path parameters no schema names (static files) are still parameters of the template.
  for (const [, name] of route.path.matchAll(/\{([^}]+)\}/g)) {
    if (!result.some((parameter) => parameter.in === 'path' && parameter.name === name)) {
      const description = describe(name!);
      result.push({ name: name!, in: 'path', required: true, ...(description ? { description } : {}), schema: { type: 'string' } });
    }
  }
  fromSchema(route.query, 'query');
  return result;
}

/** The roles the policy lets do a route's action, when that is not everyone. */
function rolesAllowed(route: RouteSpec): string[] | undefined {
  if (!route.allow) return undefined;
  const allowed = roles.filter((role) => roleCan(role, route.allow!));
  return allowed.length < roles.length ? allowed : undefined;
}

function successResponse(success: Success, catalog: SchemaCatalog): ResponseObject {
  if (success.schema) return { description: success.description, content: { 'application/json': { schema: catalog.ref(success.schema, 'output') } } };
  if (success.contentType) return { description: success.description, content: { [success.contentType]: { schema: {} } } };
  return { description: success.description };
}

function operation(route: RouteSpec, catalog: SchemaCatalog): OperationObject {
  const responses: Record<string, ResponseObject> = {};
  responses[String(route.response.status)] = successResponse(route.response, catalog);
  for (const other of route.otherResponses ?? []) {
    const response = successResponse(other, catalog);
    if (other.status === 429 || other.status === 503) response.headers = { 'Retry-After': retryAfterRef };
    responses[String(other.status)] = response;
  }
  const errors = [...commonErrors(route, catalog)].sort(([a], [b]) => a - b);
  for (const [status, codes] of errors) {
    const list = [...codes].sort();
    responses[String(status)] = {
      description: `${statusText[status] ?? 'Error'}. \`error.code\`: ${list.map((code) => `\`${code}\``).join(', ')}.`,
      ...(status === 429 || status === 502 ? { headers: { 'Retry-After': retryAfterRef } } : {}),
      content: { 'application/json': { schema: catalog.ref(ErrorBody, 'output') } },
      'x-parley-error-codes': list,
    };
  }

  const params = parameters(route, catalog);
  const body = route.body ? catalog.body(route.body, 'input') : undefined;
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    // Optional auth lists "no requirement" first: anonymous is fine, a token adds to the answer.
    security: route.auth === 'required' ? [{ [bearerScheme]: [] }] : route.auth === 'optional' ? [{}, { [bearerScheme]: [] }] : [],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(route.body && body
      ? {
          requestBody: {
            // `mountRoutes` reads a missing body as `{}`, so a body whose fields are all optional may be left out.
            required: ((body.required as string[] | undefined) ?? []).length > 0,
            content: { 'application/json': { schema: catalog.ref(route.body, 'input') } },
          },
        }
      : {}),
    responses,
    'x-parley-service': route.service,
    'x-parley-auth': route.auth,
    ...(route.allow ? { 'x-parley-allow': route.allow } : {}),
    ...(rolesAllowed(route) ? { 'x-parley-roles': rolesAllowed(route) } : {}),
  };
}

function schemaRoots(routes: RouteSpec[]): { input: z.ZodType[]; output: z.ZodType[] } {
  const live = liveSchemaRoots();
  const input = [...live.input];
  const output = [ErrorBody, ...live.output];
  for (const route of routes) {
    for (const schema of [route.params, route.query, route.body]) if (schema) input.push(schema);
    for (const success of [route.response, ...(route.otherResponses ?? [])]) if (success.schema) output.push(success.schema);
  }
  return { input, output };
}

/** Keeps only the components the document refers to (directly or through other components). */
function referencedComponents(document: unknown, all: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const kept = new Set<string>();
  const queue = collectRefs(document);
  while (queue.length > 0) {
    const name = componentName(queue.pop()!);
    if (name === undefined || kept.has(name) || !all[name]) continue;
    kept.add(name);
    queue.push(...collectRefs(all[name]));
  }
  return Object.fromEntries([...kept].sort().map((name) => [name, all[name]!]));
}

const infoDescription = `Parley is a self-hosted comments and live discussion service. Every path below is on the gateway, the only public origin: \`/auth/*\` is answered by the auth service, \`/api/*\` by the comments service (\`x-parley-service\` says which).

**Authentication.** Writes send \`Authorization: Bearer <accessToken>\` (a short-lived ES256 JWT from \`/auth/login\`, \`/auth/register\` or \`/auth/refresh\`). Reads of a discussion are public; a token there is optional, but a token that is sent must be valid.

**Errors.** Every error answers \`{ "error": { "code", "message", "details"?, "requestId" } }\` (the \`ErrorBody\` schema) with a fitting status; \`code\` is one of ${errorCodes.length} stable snake_case codes (\`ErrorCode\`). \`validation_failed\` lists \`{ field, message }\` issues in \`details\`. 429 and 502 carry \`Retry-After\`. Each response lists its codes in \`x-parley-error-codes\`.

**CORS.** Browsers may call the API from the origins a site allows; a preflight from any other origin answers 403 \`origin_not_allowed\`.

**Live.** ${liveDescription} The events are in this document's \`x-live-events\` extension.`;

/**
 * The OpenAPI 3.1 document of Parley's public contract, built from the zod schemas in
 * `@parley/contracts` and the services' route declarations. A plain JSON-serialisable object.
 */
export function buildOpenApiDocument(options: BuildOptions): OpenApiDocument {
  const routeTable: RouteSpec[] = Object.entries(options.routes).flatMap(([service, list]) =>
    (list ?? []).map((route) => ({ ...route, service: service as Service, path: openApiPath(route.path) })),
  );
  const catalog = buildSchemaCatalog(schemaRoots(routeTable), liveSchemas);

  const paths: Record<string, PathItemObject> = {};
  for (const route of routeTable) {
    const item = (paths[route.path] ??= {});
    if (item[route.method]) throw new Error(`openapi: ${route.method.toUpperCase()} ${route.path} is listed twice.`);
    item[route.method] = operation(route, catalog);
  }

  const liveExtension: OpenApiDocument['x-live-events'] = {
    path: '/socket.io/',
    transports: ['websocket'],
    description: liveDescription,
    handshake: {
      description: 'Socket.IO handshake `auth` object. A refused handshake answers `connect_error` with `data: { code }`.',
      auth: catalog.ref(HandshakeAuth, 'input'),
    },
    events: liveEvents.map((event) => ({
      name: event.name,
      direction: event.direction,
      description: event.description,
      ...(event.payload ? { payload: catalog.ref(event.payload, event.direction === 'client-to-server' ? 'input' : 'output') } : {}),
      ...(event.ack ? { ack: catalog.ref(event.ack, 'output') } : {}),
      ...(event.room ? { room: event.room } : {}),
    })),
  };

  const usedTags = new Set(routeTable.map((route) => route.tag));
  for (const tag of usedTags) if (!(tag in tags)) throw new Error(`openapi: the tag "${tag}" is not in tags.ts.`);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parley API',
      version: '0.1.0',
      description: infoDescription,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl.replace(/\/+$/, ''), description: 'The Parley gateway' }] } : {}),
    tags: Object.entries(tags)
      .filter(([name]) => usedTags.has(name as Tag))
      .map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: referencedComponents({ paths, live: liveExtension }, catalog.components),
      securitySchemes: {
        [bearerScheme]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An access token (ES256 JWT, issued by the auth service, verified against `/auth/.well-known/jwks.json`).',
        },
      },
      headers: {
        RetryAfter: { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } },
      },
    },
    'x-live-events': liveExtension,
  };
}

/**
 * One document from the parts each process describes (the gateway its own routes, auth and comments
 * theirs, fetched from `/internal/openapi.json`): paths side by side, shared components once, the
 * first part's info and servers.
 */
export function mergeOpenApiDocuments(parts: readonly OpenApiDocument[]): OpenApiDocument {
  const [first, ...rest] = parts;
  if (!first) throw new Error('openapi: nothing to merge.');
  const merged: OpenApiDocument = structuredClone(first);
  for (const part of rest) {
    for (const [path, item] of Object.entries(part.paths)) {
      const target = (merged.paths[path] ??= {});
      for (const [method, operation] of Object.entries(item)) {
        if (target[method as keyof typeof target]) throw new Error(`openapi: ${method.toUpperCase()} ${path} is described twice.`);
        target[method as keyof typeof target] = operation;
      }
    }
    Object.assign(merged.components.schemas, part.components.schemas);
  }
  const used = new Set(parts.flatMap((part) => part.tags.map((tag) => tag.name)));
  merged.tags = Object.entries(tags)
    .filter(([name]) => used.has(name))
    .map(([name, description]) => ({ name, description }));
  merged.components.schemas = Object.fromEntries(Object.entries(merged.components.schemas).sort(([a], [b]) => a.localeCompare(b)));
  return merged;
}
