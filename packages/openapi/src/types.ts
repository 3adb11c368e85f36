/**
 * The parts of an OpenAPI 3.1 document this package writes. Plain JSON-compatible objects, so the
 * document can be served as is; kept small on purpose rather than pulling in a types package.
 */

/** A JSON Schema (2020-12, the OpenAPI 3.1 dialect) as zod emits it. */
export type JsonSchema = { [keyword: string]: unknown };

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface MediaTypeObject {
  schema: JsonSchema;
}

export interface HeaderObject {
  description: string;
  schema: JsonSchema;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject | { $ref: string }>;
  content?: Record<string, MediaTypeObject>;
  /** For error answers: the `error.code` values this route answers with at this status. */
  'x-parley-error-codes'?: string[];
}

export interface RequestBodyObject {
  required: boolean;
  content: Record<string, MediaTypeObject>;
}

export interface OperationObject {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject>;
  /** Which process answers: the gateway itself, or the service it proxies to. */
  'x-parley-service': 'gateway' | 'auth' | 'comments';
  /** How the route authenticates: none, an optional bearer token, or a required one. */
  'x-parley-auth': 'none' | 'optional' | 'required';
  /** The policy action the route asks for (`can` in @parley/contracts). */
  'x-parley-allow'?: string;
  /** Roles the policy allows, when the route is not open to every signed-in viewer. */
  'x-parley-roles'?: string[];
}

export type PathItemObject = Partial<Record<HttpMethod, OperationObject>>;

export interface TagObject {
  name: string;
  description: string;
}

/** One Socket.IO event, for the `x-live-events` extension. */
export interface LiveEventObject {
  name: string;
  direction: 'client-to-server' | 'server-to-client';
  description: string;
  /** The payload the sender emits; absent for events without one. */
  payload?: JsonSchema;
  /** What the server answers through the acknowledgement callback, when the event takes one. */
  ack?: JsonSchema;
  /** Who receives a server event (a Socket.IO room). */
  room?: string;
}

export interface LiveEventsObject {
  path: string;
  transports: string[];
  description: string;
  handshake: { description: string; auth: JsonSchema };
  events: LiveEventObject[];
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string; license?: { name: string; identifier: string } };
  servers?: { url: string; description?: string }[];
  tags: TagObject[];
  paths: Record<string, PathItemObject>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; bearerFormat: string; description: string }>;
    headers: Record<string, HeaderObject>;
  };
  'x-live-events': LiveEventsObject;
}
