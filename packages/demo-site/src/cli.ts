import { startDemoSite } from './server';

/** Serves the demo site alone: `PARLEY_URL=http://localhost:8080 DEMO_PORT=8081 tsx packages/demo-site/src/cli.ts`. */
const port = Number(process.env.DEMO_PORT ?? 8081);
const parleyUrl = process.env.PARLEY_URL ?? 'http://localhost:8080';

startDemoSite({ port, host: process.env.HOST ?? '127.0.0.1', parleyUrl, demoUrl: process.env.DEMO_URL })
  .then((site) => {
    console.log(`Demo publisher site on ${site.url} (Parley at ${parleyUrl}). Stop with Ctrl+C.`);
    const stop = () => void site.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
