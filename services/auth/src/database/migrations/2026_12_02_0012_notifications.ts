import { type Kysely, type Migration } from 'kysely';

/**
 * Reply notifications: whether an account wants them (on until it unsubscribes), and a key that
 * makes a mail unique in the outbox, so a notification asked for twice (a retry) is queued once.
 */
export const migration: Migration = {
  async up(db: Kysely<any>) {
    const auth = db.schema.withSchema('auth');
    await auth.alterTable('users').addColumn('notify_replies', 'boolean', (col) => col.notNull().defaultTo(true)).execute();
    await auth.alterTable('mail_outbox').addColumn('dedupe_key', 'text', (col) => col.unique()).execute();
  },
  async down(db: Kysely<any>) {
    const auth = db.schema.withSchema('auth');
    await auth.alterTable('mail_outbox').dropColumn('dedupe_key').execute();
    await auth.alterTable('users').dropColumn('notify_replies').execute();
  },
};
