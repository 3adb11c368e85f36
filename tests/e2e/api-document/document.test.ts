import SwaggerParser from '@apidevtools/swagger-parser';
import { buildOpenApiDocument, collectRefs, type OpenApiDocument, type OperationObject } from '@parley/openapi';
import { allRoutes, fullDocument } from './full-document';

const document = fullDocument('https://comments.example.com/');
const clone = (value: OpenApiDocument) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

function operations(doc: OpenApiDocument): { method: string; path: string; operation: OperationObject }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ method, path, operation: operation as OperationObject })),
  );
}

/** Follows a local JSON pointer (`#/a/b~1c`) through the document. */
function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((segment) => decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), root);
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    // validate() checks the document against the OpenAPI 3.1 schema and dereferences every $ref.
    const validated = await SwaggerParser.validate(clone(document) as never);
    expect(validated.info.title).toBe('Parley API');
  });

  it('is plain JSON: serialising it loses nothing', () => {
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it('resolves every $ref inside the document', () => {
    const refs = collectRefs(document);
    expect(refs.length).toBeGreaterThan(50);
    const unresolved = [...new Set(refs)].filter((ref) => resolvePointer(document, ref) === undefined);
    expect(unresolved).toEqual([]);
  });

  it('keeps only components something refers to', () => {
    const referenced = new Set(collectRefs({ paths: document.paths, live: document['x-live-events'], schemas: document.components.schemas }));
    const unused = Object.keys(document.components.schemas).filter((name) => !referenced.has(`#/components/schemas/${name}`));
    expect(unused).toEqual([]);
  });

  it('shares schemas as components instead of copying them', () => {
    const schemas = document.components.schemas;
    for (const name of ['Comment', 'Article', 'User', 'AuthSession', 'ErrorBody', 'ErrorCode', 'ThreadPage', 'PostCommentRequest', 'SiteId']) {
      expect(schemas).toHaveProperty(name);
    }
    // Comment is recursive (replies): a reference to itself, not an endless copy.
    expect(JSON.stringify(schemas.Comment)).toContain('"$ref":"#/components/schemas/Comment"');
    // Components carry no dialect or $id of their own inside the document.
    for (const schema of Object.values(schemas)) {
      expect(schema).not.toHaveProperty('$schema');
      expect(schema).not.toHaveProperty('$id');
    }
  });

  it('reads requests as input and responses as output', () => {
    const op = document.paths['/api/sites/{site}/articles/{article}/comments']!.get!;
    const limit = op.parameters!.find((parameter) => parameter.name === 'limit')!;
    // A defaulted query field is optional to send, and documents its default.
    expect(limit).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', default: 20, minimum: 1, maximum: 100 } });
    expect(op.parameters!.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name)).toEqual(['site', 'article']);
    const counts = document.paths['/api/sites/{site}/counts']!.get!;
    // The comma-separated list is a string on the way in (its array form is the parsed output).
    expect(counts.parameters!.find((parameter) => parameter.name === 'articles')).toMatchObject({ required: true, schema: { type: 'string' } });
  });

  it('describes every route once, with a unique operation id and its tag', () => {
    const ops = operations(document);
    expect(ops).toHaveLength(allRoutes.length);
    const ids = ops.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const tagNames = document.tags.map((tag) => tag.name);
    for (const { operation } of ops) expect(tagNames).toContain(operation.tags[0]);
  });

  it('answers every error with the shared ErrorBody schema, listing its codes', () => {
    for (const { method, path, operation } of operations(document)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400 || !response['x-parley-error-codes']) continue;
        expect({ at: `${method} ${path} ${status}`, schema: response.content?.['application/json']?.schema }).toEqual({
          at: `${method} ${path} ${status}`,
          schema: { $ref: '#/components/schemas/ErrorBody' },
        });
        expect(response['x-parley-error-codes'].length).toBeGreaterThan(0);
      }
    }
  });

  it('derives the errors a route can answer from what it is', () => {
    const post = document.paths['/api/sites/{site}/articles/{article}/comments']!.post!;
    expect(Object.keys(post.responses)).toEqual(['201', '400', '401', '403', '404', '413', '415', '422', '429', '500', '502', '504']);
    expect(post.responses['401']!['x-parley-error-codes']).toEqual(['invalid_token', 'token_expired', 'unauthenticated']);
    expect(post.responses['422']!['x-parley-error-codes']).toEqual(['article_closed', 'banned_word', 'parent_unavailable']);
    expect(post.responses['429']!.headers).toHaveProperty('Retry-After');
    const queue = document.paths['/api/moderation/queue']!.get!;
    expect(queue.responses['400']!['x-parley-error-codes']).toEqual(['invalid_cursor', 'validation_failed']);
    expect(queue.responses['403']!['x-parley-error-codes']).toEqual(['forbidden']);
  });

  it('uses HTTP bearer JWT security, optional where a token only adds to the answer', () => {
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(document.paths['/api/comments/{id}']!.patch!.security).toEqual([{ bearerAuth: [] }]);
    expect(document.paths['/api/comments/{id}/replies']!.get!.security).toEqual([{}, { bearerAuth: [] }]);
    expect(document.paths['/auth/login']!.post!.security).toEqual([]);
  });

  it('describes the live events of contracts/live.ts', () => {
    const live = document['x-live-events'];
    const names = live.events.map((event) => event.name).sort();
    expect(names).toEqual(
      [
        'article:join',
        'article:leave',
        'session:refresh',
        'moderation:join',
        'moderation:leave',
        'comment:created',
        'comment:updated',
        'comment:removed',
        'reaction:updated',
        'article:updated',
        'session:expired',
        'live:error',
        'session:banned',
        'session:unbanned',
        'reply:received',
        'moderation:queue',
      ].sort(),
    );
    expect(live.events.find((event) => event.name === 'comment:created')).toMatchObject({
      direction: 'server-to-client',
      payload: { $ref: '#/components/schemas/CommentEvent' },
    });
    expect(live.events.find((event) => event.name === 'article:join')).toMatchObject({
      payload: { $ref: '#/components/schemas/JoinRequest' },
      ack: { $ref: '#/components/schemas/JoinAck' },
    });
  });

  it('names the server only when asked to', () => {
    expect(document.servers).toEqual([{ url: 'https://comments.example.com', description: 'The Parley gateway' }]);
    expect(buildOpenApiDocument({ routes: {} })).not.toHaveProperty('servers');
  });
});
