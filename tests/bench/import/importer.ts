import { importsOn } from '@parley/comments';
import type { DatabaseSource } from '@parley/db';
import { runImport } from '@parley/imports';

/** The import benchmark's child: one import, as the command runs it on DATABASE_URL; answers with the summary and its RSS. */
process.on('message', (message: { type: string; source: DatabaseSource; file: string; site: string }) => {
  if (message.type !== 'import') return;
  void (async () => {
    const opened = importsOn(message.source);
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const started = performance.now();
    try {
      const summary = await runImport({ source: 'disqus', file: message.file, site: message.site, dryRun: false, send: (batch) => opened.service.importBatch(batch) });
      clearInterval(sampler);
      process.send!({ type: 'done', summary, seconds: (performance.now() - started) / 1000, peakRss: Math.max(peakRss, process.memoryUsage().rss), rssBefore, maxRss: process.resourceUsage().maxRSS * 1024 });
    } finally {
      clearInterval(sampler);
      await opened.close();
    }
  })();
});
