import type { Migration } from 'kysely';

/** The PostgreSQL schema this service owns; no other service reads or writes it. */
export const schema = 'auth';

export const migrations: Record<string, Migration> = {};
