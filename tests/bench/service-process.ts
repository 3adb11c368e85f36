import { createAuthApp, loadAuthConfig } from '@parley/auth';
import { createCommentsApp, loadCommentsConfig } from '@parley/comments';
import { createGatewayApp, loadGatewayConfig } from '@parley/gateway';
import { listen, silentLogger } from '@parley/platform';
import { createTokenVerifier } from '@parley/tokens';

/**
 * One Parley service alone in this process, as production runs them (each service's main.ts), so
 * the gateway's hop and the comments node's work each get an event loop of their own. Started by
 * `startServiceProcesses` (common.ts) with the service's environment over IPC; answers with its URL.
 */
interface Start {
  type: 'start';
  service: 'auth' | 'comments' | 'gateway';
  databaseUrl: string;
  env: Record<string, string>;
  signingKeyPem?: string;
}

let stop: (() => Promise<void>) | undefined;

async function start(message: Start): Promise<void> {
  const logger = silentLogger();
  const database = { kind: 'postgres' as const, url: message.databaseUrl };
  if (message.service === 'auth') {
    const config = loadAuthConfig({ ...message.env, AUTH_PORT: '0' });
    const auth = createAuthApp({ config, database, logger, signingKeyPem: message.signingKeyPem! });
    const server = await listen(auth.app, 0, '127.0.0.1', config.http);
    stop = async () => {
      await server.close();
      await auth.stop();
    };
    return void process.send!({ type: 'listening', url: `http://127.0.0.1:${server.port}` });
  }
  if (message.service === 'comments') {
    const config = loadCommentsConfig(message.env);
    const comments = createCommentsApp({
      config,
      database,
      logger,
      tokenVerifier: createTokenVerifier({ jwksUrl: config.jwksUrl, issuer: config.issuer, audience: config.audience }),
    });
    const server = await listen(comments.app, 0, '127.0.0.1', config.http);
    await comments.attach(server.server);
    stop = async () => {
      await comments.stop();
      await server.close();
    };
    return void process.send!({ type: 'listening', url: `http://127.0.0.1:${server.port}` });
  }
  const config = loadGatewayConfig(message.env);
  const gateway = createGatewayApp({ config, logger });
  await gateway.ready();
  const server = await listen(gateway.app, 0, '127.0.0.1', config.http);
  gateway.attach(server.server);
  stop = async () => {
    await gateway.stop();
    await server.close();
  };
  process.send!({ type: 'listening', url: `http://127.0.0.1:${server.port}` });
}

process.on('message', (message: { type: string }) => {
  if (message.type === 'start') {
    start(message as Start).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  }
  if (message.type === 'stop') {
    const timer = setTimeout(() => process.exit(0), 5_000);
    timer.unref();
    void (stop?.() ?? Promise.resolve()).finally(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
