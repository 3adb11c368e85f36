/**
 * One jest run for the whole monorepo. Tests are TypeScript transformed by SWC (type checking is
 * `pnpm typecheck`). The global setup makes one fresh database for the run: a new database on the
 * PostgreSQL server when DATABASE_URL is set (as CI does), otherwise a migrated embedded PGlite
 * that every test file loads its own copy of.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/services/*/src/**/*.test.ts', '<rootDir>/packages/*/src/**/*.test.ts', '<rootDir>/tests/e2e/**/*.test.ts', '<rootDir>/tests/browser/**/*.test.ts', '<rootDir>/scripts/**/*.test.ts'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 20000,
};
