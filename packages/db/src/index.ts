export * from './connect';
export * from './migrate';
export { PGliteDialect } from './pglite-dialect';
export * from './testing';
export { lockDataDir } from './data-dir-lock';
export * from './listen';
