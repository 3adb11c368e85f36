import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Imports started from the console (docs/adr/0016): one row per upload, so any comments node can
 * report its progress and summary, and at most one import of a site runs at a time (the partial
 * unique index). A node that dies mid-import leaves its row `running`; `heartbeat_at` tells the
 * next upload that nobody is working on it any more.
 */
export const importJobs: Migration = {
  async up(db: Kysely<any>) {
    const schema = db.schema.withSchema('comments');
    await schema
      .createTable('import_jobs')
      .addColumn('id', 'uuid', (col) => col.primaryKey())
      .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id').onDelete('cascade'))
      .addColumn('source', 'text', (col) => col.notNull())
      .addColumn('dry_run', 'boolean', (col) => col.notNull())
      .addColumn('state', 'text', (col) => col.notNull().check(sql`state in ('receiving', 'running', 'done', 'failed')`))
      .addColumn('bytes', 'bigint', (col) => col.notNull().defaultTo(0))
      .addColumn('progress', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('summary', 'jsonb')
      .addColumn('error', 'text')
      .addColumn('started_by', 'text', (col) => col.notNull())
      .addColumn('started_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('heartbeat_at', sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('finished_at', sql`timestamptz(3)`)
      .execute();
    await schema
      .createIndex('import_jobs_one_running_per_site')
      .on('import_jobs')
      .column('site_id')
      .unique()
      .where(sql.ref('state'), 'in', sql`('receiving', 'running')`)
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.withSchema('comments').dropTable('import_jobs').ifExists().execute();
  },
};
