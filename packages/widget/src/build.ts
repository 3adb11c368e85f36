import { copyFile, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';

/** embed.js, gzip: it is on every article page, widget or not. */
export const loaderBudgetGzipBytes = 3 * 1024;
/** Everything the widget loads (widget.js and its chunks, the live client included), gzip. 33 KB since ADR 0019. */
export const widgetBudgetGzipBytes = 33 * 1024;
/**
 * The account panel's chunk (widget/account-panel-*.js), loaded only when a reader opens "My
 * account" or "Forgot password?": outside the widget's budget, within its own (ADR 0015).
 */
export const accountPanelBudgetGzipBytes = 4 * 1024;
const isAccountPanel = (name: string) => /^widget\/account-panel-[\w-]+\.js$/.test(name);
/** The Markdown preview's chunk (widget/preview-*.js), loaded on a reader's first "Preview": outside the widget's budget, within its own. */
export const previewBudgetGzipBytes = 1024;
const isPreview = (name: string) => /^widget\/preview-[\w-]+\.js$/.test(name);

export interface BuiltFile {
  /** Path relative to outdir, with forward slashes: "embed.js", "widget/widget.js", "widget/chunk-….js". */
  name: string;
  bytes: number;
  gzipBytes: number;
}

export interface BuildResult {
  files: BuiltFile[];
  loaderGzipBytes: number;
  widgetGzipBytes: number;
  /** Human-readable budget violations; empty when within budget. */
  overBudget: string[];
}

const packageRoot = resolve(__dirname, '..');

/**
 * Builds the loader (IIFE) and the widget (ESM with splitting, so socket.io-client lands in a chunk
 * that is imported only when a thread goes live) into `outdir`, which is emptied first.
 */
export async function buildWidget({ outdir }: { outdir: string }): Promise<BuildResult> {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const common = {
    bundle: true,
    minify: true,
    target: 'es2020',
    legalComments: 'none',
    logLevel: 'silent',
    absWorkingDir: packageRoot,
    define: { 'process.env.NODE_ENV': '"production"' },
  } as const;
  await Promise.all([
    build({ ...common, entryPoints: [join(packageRoot, 'src/loader/embed.ts')], outfile: join(outdir, 'embed.js'), format: 'iife' }),
    build({
      ...common,
      entryPoints: { widget: join(packageRoot, 'src/widget/index.ts') },
      outdir: join(outdir, 'widget'),
      format: 'esm',
      splitting: true,
      // Module scripts are always decoded as UTF-8, so Cyrillic can stay as is (half the size of
      // \u escapes). embed.js is a classic script on pages of any charset: it keeps the escapes.
      charset: 'utf8',
      chunkNames: '[name]-[hash]',
      plugins: [websocketOnly],
    }),
    // The moderator console: served by the gateway at /moderate on the Parley origin. Not part
    // of what publishers' readers load, so it has no size budget.
    build({
      ...common,
      entryPoints: { console: join(packageRoot, 'src/console/index.ts') },
      outdir: join(outdir, 'console'),
      format: 'esm',
      splitting: true,
      charset: 'utf8',
      chunkNames: '[name]-[hash]',
      plugins: [websocketOnly],
    }),
  ]);
  await copyFile(join(packageRoot, 'src/console/index.html'), join(outdir, 'console/index.html'));
  await copyFile(join(packageRoot, 'src/console/console.css'), join(outdir, 'console/console.css'));

  const files: BuiltFile[] = [];
  for (const path of await listFiles(outdir)) {
    const content = await readFile(path);
    files.push({ name: relative(outdir, path).split('\\').join('/'), bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length });
  }
  files.sort((a, b) => (a.name === 'embed.js' ? -1 : b.name === 'embed.js' ? 1 : a.name.localeCompare(b.name)));
  const loaderGzipBytes = files.find((file) => file.name === 'embed.js')?.gzipBytes ?? 0;
  const widgetGzipBytes = files.filter((file) => file.name.startsWith('widget/') && !isAccountPanel(file.name) && !isPreview(file.name)).reduce((sum, file) => sum + file.gzipBytes, 0);
  const accountPanelGzipBytes = files.filter((file) => isAccountPanel(file.name)).reduce((sum, file) => sum + file.gzipBytes, 0);
  const previewGzipBytes = files.filter((file) => isPreview(file.name)).reduce((sum, file) => sum + file.gzipBytes, 0);
  const overBudget: string[] = [];
  if (loaderGzipBytes > loaderBudgetGzipBytes) overBudget.push(`embed.js is ${loaderGzipBytes} B gzip, budget ${loaderBudgetGzipBytes} B`);
  if (widgetGzipBytes > widgetBudgetGzipBytes) overBudget.push(`widget/* is ${widgetGzipBytes} B gzip, budget ${widgetBudgetGzipBytes} B`);
  if (accountPanelGzipBytes > accountPanelBudgetGzipBytes) overBudget.push(`widget/account-panel-*.js is ${accountPanelGzipBytes} B gzip, budget ${accountPanelBudgetGzipBytes} B`);
  if (previewGzipBytes > previewBudgetGzipBytes) overBudget.push(`widget/preview-*.js is ${previewGzipBytes} B gzip, budget ${previewBudgetGzipBytes} B`);
  return { files, loaderGzipBytes, widgetGzipBytes, overBudget };
}

/** The size table the build script prints. */
export function formatSizes(result: BuildResult): string {
  const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
  const width = Math.max(28, ...result.files.map((file) => file.name.length + 2));
  const line = (name: string, raw: string, gz: string) => `${name.padEnd(width)}${raw.padStart(12)}${gz.padStart(12)}`;
  return [
    line('file', 'raw', 'gzip'),
    ...result.files.map((file) => line(file.name, kb(file.bytes), kb(file.gzipBytes))),
    '-'.repeat(width + 24),
    line('loader (embed.js)', '', `${kb(result.loaderGzipBytes)} / ${kb(loaderBudgetGzipBytes)}`),
    line('widget (widget/*)', '', `${kb(result.widgetGzipBytes)} / ${kb(widgetBudgetGzipBytes)}`),
  ].join('\n');
}

/**
 * The widget connects with `transports: ['websocket']` only (docs/adr/0005), so engine.io-client's
 * polling and WebTransport code is dead weight (~3 KB gzip): swap its transport table for one that
 * has just the WebSocket transport.
 */
const websocketOnly: Plugin = {
  name: 'engine.io-websocket-only',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /engine\.io-client[\\/]build[\\/]esm[\\/]transports[\\/]index\.js$/ }, () => ({
      contents: 'import { WS } from "./websocket.js"; export const transports = { websocket: WS };',
      loader: 'js',
    }));
  },
};

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : Promise.resolve([join(dir, entry.name)]))),
  );
  return nested.flat();
}
