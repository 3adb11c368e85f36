import { createLogger, listen, listenMetrics, runMain, stopOnSignals } from '@parley/platform';
import { createGatewayApp } from './app';
import { loadGatewayConfig } from './config';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const logger = createLogger({ service: 'gateway', level: config.logLevel });
  const gateway = createGatewayApp({ config, logger });
  await gateway.ready();
  const server = await listen(gateway.app, config.port, config.host, config.http);
  gateway.attach(server.server);
  const metrics = await listenMetrics([gateway.metrics], config.metrics.port, config.metrics.host);
  logger.info(
    { port: server.port, host: config.host, metrics: `${config.metrics.host}:${metrics.port}`, upstreams: config.upstreams },
    'gateway listening',
  );

  stopOnSignals(logger, async () => {
    // Proxied live sockets first: the server can't finish closing while they are open.
    await gateway.stop();
    await server.close();
    await metrics.close();
  });
}

runMain(main);
