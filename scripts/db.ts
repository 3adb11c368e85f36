import { resolve, join } from 'node:path';
import { lockDataDir, openEmbedded, type DatabaseSource } from '@parley/db';
import { migrateAll, seedAll } from './stack';

/**
 * `pnpm db:migrate` and `pnpm db:seed`: against DATABASE_URL when set, otherwise against the
 * embedded database in PARLEY_DATA_DIR (stop `pnpm start` first: PGlite allows one process).
 */
async function main(command: string | undefined): Promise<void> {
  if (command !== 'migrate' && command !== 'seed') throw new Error('usage: tsx scripts/db.ts migrate|seed');
  const url = process.env.DATABASE_URL;
  const dataDir = resolve(process.env.PARLEY_DATA_DIR ?? './.parley-data');
  const unlock = url ? () => {} : lockDataDir(dataDir);
  const pglite = url ? undefined : await openEmbedded({ dataDir: join(dataDir, 'pg') });
  const database: DatabaseSource = pglite ? { kind: 'pglite', pglite } : { kind: 'postgres', url: url! };
  try {
    await migrateAll(database);
    console.log('migrations: up to date');
    if (command === 'seed') {
      const origins = (process.env.DEMO_ORIGINS ?? 'http://localhost:8081,http://127.0.0.1:8081,http://localhost:8080,http://127.0.0.1:8080')
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean);
      await seedAll(database, origins);
      console.log(`seed: demo site "demo" (origins ${origins.join(', ')}) and the demo accounts`);
    }
  } finally {
    await pglite?.close();
    unlock();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
