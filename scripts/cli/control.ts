import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatabaseSource } from '@parley/db';
import { controlTokenHeader } from '@parley/platform';
import { migrateAll } from '../stack';
import { DataFolderError, openDataFolder } from './data-folder';

/**
 * How `pnpm parley` reaches Parley's data while Parley may be running. With DATABASE_URL it opens
 * its own connection (PostgreSQL takes many). The embedded database admits one process, so while
 * `pnpm start` holds it, the command asks the running Parley instead, over its internal routes on
 * 127.0.0.1, with a token the launcher keeps in the data folder readable by its owner only.
 */

const controlFileName = 'control.json';

export interface ControlFile {
  pid: number;
  token: string;
  authUrl: string;
  commentsUrl: string;
}

export const newControlToken = () => randomBytes(32).toString('base64url');

/** Written by the launcher once the services listen; removed when it stops. */
export async function writeControlFile(dataDir: string, control: ControlFile): Promise<() => Promise<void>> {
  const file = join(dataDir, controlFileName);
  await writeFile(file, JSON.stringify(control), { mode: 0o600 });
  return () => rm(file, { force: true });
}

async function readControlFile(dataDir: string): Promise<ControlFile | undefined> {
  const text = await readFile(join(dataDir, controlFileName), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  try {
    const control = JSON.parse(text) as ControlFile;
    process.kill(control.pid, 0);
    return control;
  } catch {
    // Left behind by a Parley that was killed: not running.
    return undefined;
  }
}

export type Target =
  | { kind: 'database'; source: DatabaseSource; close(): Promise<void> }
  | { kind: 'running'; control: ControlFile };

/** Where a command should act: a database it opens itself, or the running embedded Parley. */
export async function openTarget(env: NodeJS.ProcessEnv): Promise<Target> {
  if (env.DATABASE_URL) {
    const source: DatabaseSource = { kind: 'postgres', url: env.DATABASE_URL };
    await migrateAll(source);
    return { kind: 'database', source, close: async () => {} };
  }
  const dataDir = env.PARLEY_DATA_DIR || './.parley-data';
  const running = await readControlFile(dataDir);
  if (running) return { kind: 'running', control: running };
  try {
    const folder = await openDataFolder(dataDir);
    const source: DatabaseSource = { kind: 'pglite', pglite: folder.pglite };
    await migrateAll(source);
    return { kind: 'database', source, close: folder.close };
  } catch (error) {
    if (error instanceof DataFolderError && error.kind === 'in_use') {
      throw new Error(
        `${error.message} It runs without the control file this command needs (an older Parley?): stop it and run the command again.`,
      );
    }
    throw error;
  }
}

/** Calls an internal route of the running Parley; an error answer becomes an Error with its message. */
export async function callRunning<T>(url: string, token: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [controlTokenHeader]: token },
    body: JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => ({}))) as { error?: { message?: string; details?: unknown } };
  if (!response.ok) throw Object.assign(new Error(answer.error?.message ?? `Parley answered ${response.status}`), { details: answer.error?.details });
  return answer as T;
}
