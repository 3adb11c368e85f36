import { z } from 'zod';
import * as contracts from '@parley/contracts';
import type { JsonSchema } from './types';

export type Io = 'input' | 'output';

const componentPrefix = '#/components/schemas/';
export const schemaRef = (name: string): JsonSchema => ({ $ref: `${componentPrefix}${name}` });

/**
 * Every zod schema `@parley/contracts` exports, named by its export name. Registering all of them
 * is what turns a shared piece (Comment, SiteId, ErrorBody…) into one `$ref`'d component instead
 * of a copy inlined wherever it is used. The first name wins when one schema is exported twice.
 */
function contractSchemas(): Map<z.ZodType, string> {
  const named = new Map<z.ZodType, string>();
  for (const [name, value] of Object.entries(contracts)) {
    if (value instanceof z.ZodType && !named.has(value)) named.set(value, name);
  }
  return named;
}

/** Every `$ref` string anywhere inside `value`. */
export function collectRefs(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') into.push(child);
      else collectRefs(child, into);
    }
  }
  return into;
}

export const componentName = (ref: string): string | undefined =>
  ref.startsWith(componentPrefix) ? ref.slice(componentPrefix.length) : undefined;

export interface SchemaCatalog {
  /** A `$ref` to `schema`'s component, as a request reads it (`input`) or a response carries it (`output`). */
  ref(schema: z.ZodType, io: Io): JsonSchema;
  /** The component body of `schema` itself (to split a params or query object into parameters). */
  body(schema: z.ZodType, io: Io): JsonSchema;
  /** Every component reachable from the roots, by name. */
  components: Record<string, JsonSchema>;
}

/**
 * Converts the contracts (and `extra` named schemas) with zod's own `z.toJSONSchema`, targeting
 * JSON Schema 2020-12 — the dialect OpenAPI 3.1 uses.
 *
 * A schema reads differently as input and as output (defaults make a field optional on input;
 * a transform's output is another type), so requests are converted with `io: 'input'` and
 * responses with `io: 'output'`. Where one component is needed both ways and the two versions
 * differ, the input one is named `<Name>Input`; where they agree, both share one component.
 */
export function buildSchemaCatalog(roots: Record<Io, z.ZodType[]>, extra: Record<string, z.ZodType> = {}): SchemaCatalog {
  const named = contractSchemas();
  for (const [name, schema] of Object.entries(extra)) if (!named.has(schema)) named.set(schema, name);
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of named) registry.add(schema, { id });

  const idOf = (schema: z.ZodType): string => {
    const id = named.get(schema);
    if (!id) throw new Error('openapi: a route uses a zod schema that @parley/contracts does not export; export it there (or pass it as extra).');
    return id;
  };

  const emit = (io: Io, renamed: Set<string>) => {
    const nameOf = (id: string) => (io === 'input' && renamed.has(id) ? `${id}Input` : id);
    const { schemas } = z.toJSONSchema(registry, {
      target: 'draft-2020-12',
      io,
      // Transforms have no JSON Schema; on the side where one shows, it is documented as "any".
      unrepresentable: 'any',
      uri: (id) => `${componentPrefix}${nameOf(id)}`,
    });
    const bodies: Record<string, JsonSchema> = {};
    for (const [id, schema] of Object.entries(schemas)) {
      // Components live inside the OpenAPI document: no dialect or base URI of their own.
      const { $schema: _dialect, $id: _id, ...body } = schema as JsonSchema;
      bodies[id] = body;
    }
    const idOfName = (name: string) => (io === 'input' && name.endsWith('Input') && renamed.has(name.slice(0, -5)) ? name.slice(0, -5) : name);
    return { bodies, nameOf, idOfName };
  };

  const reachable = (emitted: ReturnType<typeof emit>, start: string[]): Set<string> => {
    const seen = new Set<string>();
    const queue = [...start];
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (seen.has(id)) continue;
      const body = emitted.bodies[id];
      if (!body) throw new Error(`openapi: no JSON Schema was emitted for "${id}".`);
      seen.add(id);
      for (const ref of collectRefs(body)) {
        const name = componentName(ref);
        if (name === undefined) throw new Error(`openapi: "${id}" has a reference outside the components: ${ref}`);
        queue.push(emitted.idOfName(name));
      }
    }
    return seen;
  };

  const output = emit('output', new Set());
  const outputIds = reachable(output, roots.output.map(idOf));
  const renamed = new Set<string>();
  let input = emit('input', renamed);
  let inputIds = reachable(input, roots.input.map(idOf));
  // Renaming one component changes the refs of every component that uses it, so repeat until stable.
  for (;;) {
    const differing = [...inputIds].filter(
      (id) => outputIds.has(id) && !renamed.has(id) && JSON.stringify(input.bodies[id]) !== JSON.stringify(output.bodies[id]),
    );
    if (differing.length === 0) break;
    for (const id of differing) renamed.add(id);
    input = emit('input', renamed);
    inputIds = reachable(input, roots.input.map(idOf));
  }

  const components: Record<string, JsonSchema> = {};
  for (const id of outputIds) components[id] = output.bodies[id]!;
  for (const id of inputIds) components[input.nameOf(id)] = input.bodies[id]!;

  const side = (io: Io) => (io === 'input' ? { emitted: input, ids: inputIds } : { emitted: output, ids: outputIds });
  return {
    components,
    ref(schema, io) {
      const id = idOf(schema);
      const { emitted, ids } = side(io);
      if (!ids.has(id)) throw new Error(`openapi: "${id}" is used as ${io} but was not listed among the ${io} roots.`);
      return schemaRef(emitted.nameOf(id));
    },
    body(schema, io) {
      const id = idOf(schema);
      const body = side(io).emitted.bodies[id];
      if (!body) throw new Error(`openapi: no JSON Schema was emitted for "${id}".`);
      return body;
    },
  };
}
