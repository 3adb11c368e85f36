import { type Kysely, type Migration } from 'kysely';

/**
 * Two more kinds of mail (ADR 0022): digests of discussions the reader follows (on until they
 * unsubscribe; following is itself the opt-in), and, for staff, new items in their moderation
 * queue (off until they opt in).
 */
export const migration: Migration = {
  async up(db: Kysely<any>) {
    const auth = db.schema.withSchema('auth');
    await auth.alterTable('users').addColumn('notify_follows', 'boolean', (col) => col.notNull().defaultTo(true)).execute();
    await auth.alterTable('users').addColumn('notify_queue', 'boolean', (col) => col.notNull().defaultTo(false)).execute();
  },
  async down(db: Kysely<any>) {
    const auth = db.schema.withSchema('auth');
    await auth.alterTable('users').dropColumn('notify_queue').execute();
    await auth.alterTable('users').dropColumn('notify_follows').execute();
  },
};
