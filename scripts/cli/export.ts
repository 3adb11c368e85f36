import { importsOn } from '@parley/comments';
import { controlTokenHeader } from '@parley/platform';
import type { Command } from './commands';
import { openTarget } from './control';

const help = `Usage: pnpm parley export --site ID [--include-private] > site.jsonl

A site's articles, comments and imported authors as JSON lines on standard output, re-importable
with pnpm parley import parley FILE --site ID. Imported authors' emails only with --include-private.
`;

export const exportCommand: Command = {
  summary: "a site's articles and comments as JSON lines (export --site ID > site.jsonl)",
  async run(args, output) {
    if (args.includes('--help') || args.includes('-h')) {
      output.out(help);
      return 0;
    }
    const site = args[args.indexOf('--site') + 1];
    if (!args.includes('--site') || !site || site.startsWith('--')) {
      output.err(`parley export: give --site ID; pnpm parley export --help has the details.\n`);
      return 2;
    }
    const request = { site, includePrivate: args.includes('--include-private') };
    try {
      const target = await openTarget(process.env);
      if (target.kind === 'running') {
        const response = await fetch(`${target.control.commentsUrl}/internal/control/export`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [controlTokenHeader]: target.control.token },
          body: JSON.stringify(request),
        });
        if (!response.ok || !response.body) {
          const answer = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
          throw new Error(answer.error?.message ?? `Parley answered ${response.status}`);
        }
        const decoder = new TextDecoder();
        for await (const chunk of response.body) output.out(decoder.decode(chunk as Uint8Array, { stream: true }));
        return 0;
      }
      const opened = importsOn(target.source);
      try {
        for await (const line of opened.service.exportSite(request)) output.out(line);
      } finally {
        await opened.close();
        await target.close();
      }
      return 0;
    } catch (error) {
      output.err(`Export failed: ${(error as Error).message}.\n`);
      return 1;
    }
  },
};
