import { createLogger, listen, runMain, stopOnSignals } from '@parley/platform';
import { createGatewayApp } from './app';
import { loadGatewayConfig } from './config';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const logger = createLogger({ service: 'gateway', level: config.logLevel });
  const gateway = createGatewayApp({ config, logger });
  await gateway.ready();
  const server = await listen(gateway.app, config.port, config.host);
  gateway.attach(server.server);
  logger.info({ port: server.port, host: config.host, upstreams: config.upstreams }, 'gateway listening');

  stopOnSignals(logger, async () => {
    // Proxied live sockets first: the server can't finish closing while they are open.
    await gateway.stop();
    await server.close();
  });
}

runMain(main);
