import { ImportSource, importSources, type ImportBatchResult } from '@parley/contracts';
import { importsOn } from '@parley/comments';
import type { Command, Output } from './commands';
import { callRunning, openTarget } from './control';
import { runImport, skipReasons, type ImportProgress, type ImportSummary, type SkipReason } from '@parley/imports';

const help = `Usage: pnpm parley import <disqus | wordpress | commento | parley> FILE --site ID [--dry-run] [--json]

  disqus      a Disqus export (XML, any size: read as a stream)
  wordpress   a WordPress export (WXR, Tools → Export in wp-admin)
  commento    a Commento export (JSON, read whole: up to IMPORT_MAX_BYTES, 256 MB by default)
  parley      a Parley export (pnpm parley export)

  --dry-run   read everything and count what would change; write nothing
  --json      print the summary as JSON

Importing the same file again changes nothing; each article is written whole or not at all.
Works with DATABASE_URL, on the embedded database, and while pnpm start is running.

  pnpm parley import disqus ./gazette-disqus.xml --site gazette --dry-run
`;

/**
 * Node flags `pnpm parley` runs with (package.json), for the import's sake. Parsing makes garbage
 * fast and V8 then grows its heap far past what is live (about 30 MB); capped, it collects sooner
 * and RSS stays under 200 MB for a file of any size. The benchmark runs its import with the same.
 */
export const importNodeFlags = ['--max-old-space-size=96', '--max-semi-space-size=4'];

export const importCommand: Command = {
  summary: 'import comments from Disqus, WordPress, Commento or a Parley export (import disqus FILE --site ID)',
  async run(args, output) {
    const [format, file] = args;
    if (format === undefined || args.includes('--help') || args.includes('-h')) {
      (format === undefined ? output.err : output.out)(help);
      return format === undefined ? 2 : 0;
    }
    const site = args[args.indexOf('--site') + 1];
    const source = ImportSource.safeParse(format);
    if (!source.success || !file || file.startsWith('--') || !args.includes('--site') || !site || site.startsWith('--')) {
      output.err(`parley import: ${!source.success ? `the format is one of ${importSources.join(', ')}` : 'give a FILE and --site ID'}; pnpm parley import --help has the details.\n`);
      return 2;
    }
    const dryRun = args.includes('--dry-run');
    let target: Awaited<ReturnType<typeof openTarget>> | undefined;
    try {
      target = await openTarget(process.env);
      const opened = target.kind === 'database' ? importsOn(target.source) : undefined;
      const running = target.kind === 'running' ? target.control : undefined;
      try {
        const summary = await runImport({
          source: source.data,
          file,
          site,
          dryRun,
          send: (batch) => (running ? callRunning<ImportBatchResult>(`${running.commentsUrl}/internal/control/import`, running.token, batch) : opened!.service.importBatch(batch)),
          progress: args.includes('--json') ? undefined : progressOn(output),
          maxWholeFileBytes: Number(process.env.IMPORT_MAX_BYTES) || undefined,
        });
        output.out(args.includes('--json') ? `${JSON.stringify(summary, null, 2)}\n` : describe(summary));
        return 0;
      } finally {
        await opened?.close();
        if (target.kind === 'database') await target.close();
      }
    } catch (error) {
      const details = (error as { details?: { field: string; message: string }[] }).details;
      const why = Array.isArray(details) && details.length > 0 ? details.slice(0, 5).map((d) => `${d.field} ${d.message}`).join('; ') : (error as Error).message;
      output.err(`\nImport stopped: ${why}.\nArticles written before this stay written (each whole); running the same import again carries on where it stopped.\n`);
      return 1;
    }
  },
};

/** A bar redrawn in place on a terminal; elsewhere (a log, CI) a plain line every tenth of the way. */
export function progressOn(output: Output): ImportProgress {
  let lastTenth = -1;
  let phase = '';
  const draw = (label: string, done: number, total: number, counts: string) => {
    const share = total > 0 ? Math.min(1, done / total) : 1;
    if (output.terminal) {
      const width = 30;
      const filled = Math.round(share * width);
      output.err(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${counts}   `);
      return;
    }
    const tenth = Math.floor(share * 10);
    if (label !== phase) {
      phase = label;
      lastTenth = -1;
    }
    if (tenth > lastTenth) {
      lastTenth = tenth;
      output.err(`${label} ${tenth * 10}%  ${counts}\n`);
    }
  };
  return {
    reading: (bytes, total, comments) => draw('reading', bytes, total, `${comments} comments`),
    writing: (articles, total, comments) => {
      if (output.terminal && phase !== 'writing') output.err('\n');
      phase = output.terminal ? 'writing' : phase;
      draw('writing', articles, total, `${articles}/${total} articles, ${comments} comments`);
    },
    end: () => {
      if (output.terminal) output.err('\n');
    },
  };
}

export function describe(s: ImportSummary): string {
  const skipped = Object.entries(s.skipped).map(([reason, count]) => `    ${String(count).padStart(7)}  ${skipReasons[reason as SkipReason]}`);
  const problems = s.problems.map((p) => `    ${p.place ? `line ${p.place.line}, column ${p.place.column}: ` : ''}${p.message}`);
  return [
    s.dryRun ? `Dry run of the ${s.source} import into ${s.site}: nothing was written. It would change:` : `Imported from ${s.source} into ${s.site}:`,
    `  articles  ${s.articles.created} new, ${s.articles.updated} with new comments, ${s.articles.unchanged} unchanged${s.articles.withoutComments ? ` (${s.articles.withoutComments} without comments left out)` : ''}`,
    `  comments  ${s.comments.imported} imported, ${s.comments.tombstones} tombstones (deleted), ${s.comments.alreadyImported} already there, ${s.comments.orphans} orphans (their parent is missing: shown top-level)`,
    `  authors   ${s.authors.created} new imported authors`,
    skipped.length > 0 ? `  skipped\n${skipped.join('\n')}` : '  skipped   nothing',
    ...(s.problemCount > 0 ? [`  problems (${s.problemCount}${s.problemCount > s.problems.length ? `, the first ${s.problems.length} shown` : ''}):`, ...problems] : []),
    '',
  ].join('\n');
}
