import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWidget, loaderBudgetGzipBytes, widgetBudgetGzipBytes } from './build';

/** The size budgets are part of the product (Disqus ships ~1 MB): CI fails when a change breaks them. */
describe('the widget build', () => {
  it('stays within the loader and widget size budgets', async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'parley-widget-build-'));
    try {
      const result = await buildWidget({ outdir });
      expect(result.files.map((file) => file.name)).toEqual(expect.arrayContaining(['embed.js', 'widget/widget.js']));
      expect(result.files.some((file) => /^widget\/live-[\w-]+\.js$/.test(file.name))).toBe(true);
      // The Markdown preview is loaded on first use, outside widget.js (its own budget, checked in overBudget).
      expect(result.files.some((file) => /^widget\/preview-[\w-]+\.js$/.test(file.name))).toBe(true);
      expect(result.loaderGzipBytes).toBeLessThanOrEqual(loaderBudgetGzipBytes);
      expect(result.widgetGzipBytes).toBeLessThanOrEqual(widgetBudgetGzipBytes);
      expect(result.overBudget).toEqual([]);
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  });
});
