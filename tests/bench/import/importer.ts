import { importsOn } from '@parley/comments';
import type { DatabaseSource } from '@parley/db';
import { runImport } from '@parley/imports';

/**
 * The import benchmark's child: one import, as the command runs it on DATABASE_URL; answers with
 * the summary and its memory: RSS, and where it went (V8's heap, off-heap ArrayBuffers — read
 * chunks, database buffers), the peaks of each while reading the file and while writing.
 */
export interface PhasePeaks {
  rss: number;
  heapUsed: number;
  arrayBuffers: number;
}

process.on('message', (message: { type: string; source: DatabaseSource; file: string; site: string }) => {
  if (message.type !== 'import') return;
  void (async () => {
    const opened = importsOn(message.source);
    const rssBefore = process.memoryUsage().rss;
    const peaks: Record<'reading' | 'writing', PhasePeaks> = { reading: { rss: 0, heapUsed: 0, arrayBuffers: 0 }, writing: { rss: 0, heapUsed: 0, arrayBuffers: 0 } };
    let phase: 'reading' | 'writing' = 'reading';
    const sample = () => {
      const m = process.memoryUsage();
      const p = peaks[phase];
      p.rss = Math.max(p.rss, m.rss);
      p.heapUsed = Math.max(p.heapUsed, m.heapUsed);
      p.arrayBuffers = Math.max(p.arrayBuffers, m.arrayBuffers);
    };
    const sampler = setInterval(sample, 100);
    const started = performance.now();
    try {
      const summary = await runImport({
        source: 'disqus',
        file: message.file,
        site: message.site,
        dryRun: false,
        send: (batch) => opened.service.importBatch(batch),
        progress: {
          reading: sample,
          writing: () => {
            if (phase === 'reading') sample();
            phase = 'writing';
            sample();
          },
          end: sample,
        },
      });
      clearInterval(sampler);
      sample();
      const peakRss = Math.max(peaks.reading.rss, peaks.writing.rss);
      process.send!({ type: 'done', summary, seconds: (performance.now() - started) / 1000, peakRss, peaks, rssBefore, maxRss: process.resourceUsage().maxRSS * 1024 });
    } finally {
      clearInterval(sampler);
      await opened.close();
    }
  })();
});
