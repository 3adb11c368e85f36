import { createCommentsApp, loadCommentsConfig } from '@parley/comments';
import { listen, silentLogger } from '@parley/platform';
import { createTestTokens } from '@parley/tokens/testing';

/**
 * The memory benchmark's comments node: one comments service (REST + live) alone in this process,
 * so its RSS is the service's own. Started with --expose-gc; asked over IPC for its memory, it
 * collects garbage twice and answers with process.memoryUsage().
 */
interface Start {
  type: 'start';
  databaseUrl: string;
}

let stop: (() => Promise<void>) | undefined;

async function start(message: Start): Promise<void> {
  const tokens = createTestTokens();
  const node = createCommentsApp({
    config: loadCommentsConfig({ LOG_LEVEL: 'silent', LIVE_MESSAGE_LIMIT: '1000' }),
    database: { kind: 'postgres', url: message.databaseUrl },
    logger: silentLogger(),
    tokenVerifier: tokens.verifier,
  });
  const server = await listen(node.app, 0);
  await node.attach(server.server);
  stop = async () => {
    await node.stop();
    await server.close();
  };
  process.send!({ type: 'listening', url: `http://127.0.0.1:${server.port}` });
}

async function memory(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 2; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const usage = process.memoryUsage();
  process.send!({ type: 'memory', rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external, gcExposed: Boolean(gc) });
}

process.on('message', (message: { type: string }) => {
  const fail = (error: unknown) => {
    console.error(error);
    process.exit(1);
  };
  if (message.type === 'start') start(message as Start).catch(fail);
  if (message.type === 'memory') memory().catch(fail);
  if (message.type === 'stop') {
    const timer = setTimeout(() => process.exit(0), 5_000);
    timer.unref();
    void (stop?.() ?? Promise.resolve()).finally(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
