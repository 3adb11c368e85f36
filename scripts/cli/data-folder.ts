import { join } from 'node:path';
import { lockDataDir, openEmbedded } from '@parley/db';

/**
 * The embedded database in PARLEY_DATA_DIR, opened the one way both `pnpm start` and
 * `pnpm parley doctor` do it: lock the folder first (PGlite has no server to stop a second
 * process), then open `pg/` inside it. The errors say which of the two went wrong and what to do.
 */
export type EmbeddedPGlite = Awaited<ReturnType<typeof openEmbedded>>;

export interface DataFolder {
  pglite: EmbeddedPGlite;
  /** Closes the database (flushing it to disk) and releases the lock. */
  close(): Promise<void>;
}

export class DataFolderError extends Error {
  constructor(
    readonly kind: 'in_use' | 'damaged' | 'unusable',
    message: string,
    /** The process holding the lock, when `kind` is `in_use`. */
    readonly holder?: number,
  ) {
    super(message);
  }
}

export const embeddedDatabaseDir = (dataDir: string): string => join(dataDir, 'pg');

/** Takes the data folder's lock; returns the function that releases it. */
export function lockDataFolder(dataDir: string): () => void {
  try {
    return lockDataDir(dataDir);
  } catch (error) {
    const message = (error as Error).message;
    // lockDataDir names the live process holding the lock in its message (its test pins that wording).
    const holder = /in use by process (\d+)/.exec(message)?.[1];
    throw new DataFolderError(holder ? 'in_use' : 'unusable', message, holder ? Number(holder) : undefined);
  }
}

export async function openDataFolder(dataDir: string): Promise<DataFolder> {
  const unlock = lockDataFolder(dataDir);
  const pgDir = embeddedDatabaseDir(dataDir);
  let pglite: EmbeddedPGlite;
  try {
    pglite = await openEmbedded({ dataDir: pgDir });
  } catch (error) {
    unlock();
    throw new DataFolderError(
      'damaged',
      `The embedded database in ${pgDir} does not open (${(error as Error).message}), so it may be damaged ` +
        '(Parley killed while writing, or the folder changed while it ran): ' +
        'move the folder away, or set PARLEY_DATA_DIR to another one, to start afresh.',
    );
  }
  return {
    pglite,
    async close() {
      await pglite.close();
      unlock();
    },
  };
}
