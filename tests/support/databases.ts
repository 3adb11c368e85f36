import type { Migration } from 'kysely';
import * as auth from '../../services/auth/src/database';
import * as comments from '../../services/comments/src/database';

/** Every service schema and its migrations, in the order a fresh database gets them. */
export const serviceSchemas: { schema: string; migrations: Record<string, Migration> }[] = [
  { schema: auth.schema, migrations: auth.migrations },
  { schema: comments.schema, migrations: comments.migrations },
];
