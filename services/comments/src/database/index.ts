import type { Migration } from 'kysely';

/** The PostgreSQL schema this service owns; no other service reads or writes it. */
export const schema = 'comments';

export const migrations: Record<string, Migration> = {};
