import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPrivateDatabase } from '@parley/db';
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from '@parley/mail/testing';
import { migrateAll, seedAll, startStack, type Stack } from '../../scripts/stack';

/**
 * What the end-to-end mail tests run against: a migrated, seeded database of their own and a real
 * SMTP server of their own (so no other test's mail reaches it), and the whole stack — gateway,
 * auth, comments — mailing through it. `start` may be called again after a stack stopped (a
 * restart on the same database); `close` stops what is still running and removes the rest.
 */
export interface MailWorld {
  smtp: TestSmtpServer;
  start(env?: Record<string, string>): Promise<Stack>;
  close(): Promise<void>;
}

export async function mailWorld(name: string): Promise<MailWorld> {
  const database = await openPrivateDatabase();
  await migrateAll(database.source);
  await seedAll(database.source, ['http://localhost:8081']);
  const smtp = await startTestSmtpServer();
  const dataDir = await mkdtemp(join(tmpdir(), `parley-${name}-`));
  const running = new Set<Stack>();
  return {
    smtp,
    async start(env = {}) {
      const stack = await startStack({
        database: database.source,
        dataDir,
        ports: { gateway: 0, auth: 0, comments: 0 },
        logLevel: 'silent',
        env: { SMTP_URL: smtp.url, MAIL_FROM: 'Parley <parley@news.example>', MAIL_POLL_INTERVAL_MS: '600000', ...env },
      });
      const stop = stack.stop;
      stack.stop = async () => {
        running.delete(stack);
        await stop();
      };
      running.add(stack);
      return stack;
    },
    async close() {
      for (const stack of [...running]) await stack.stop();
      await database.close();
      await smtp.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The path and query of the mailed link to `path` (`/auth/pages/…`), to ask the gateway for it. */
export function linkIn(mail: ReceivedMail, path: string): string {
  const found = new RegExp(`https?://\\S+${path}\\?token=[^\\s>]+`).exec(mail.parsed.text ?? '')?.[0];
  if (!found) throw new Error(`no ${path} link in the mail`);
  const url = new URL(found);
  return `${url.pathname}${url.search}`;
}
