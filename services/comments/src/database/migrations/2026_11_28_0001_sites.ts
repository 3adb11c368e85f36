import { sql, type Kysely, type Migration } from 'kysely';

export const sites: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .withSchema('comments')
      .createTable('sites')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('allowed_origins', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
      .addColumn('settings', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('created_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('comments').dropTable('sites').execute();
  },
};
