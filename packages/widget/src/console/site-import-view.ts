import type { AdminSite, ImportJob, ImportSkipReason, ImportSource } from '@parley/contracts';
import { importSkipWords } from '@parley/contracts/import-words';
import { h, replaceChildren, uid } from '../widget/dom';
import { api, errorText } from './context';

/**
 * "Import comments…" of a site, for admins (docs/adr/0016): an export file from Disqus, WordPress,
 * Commento or another Parley goes up as it is (the browser streams it; the service refuses files
 * over its upload limit), is imported in the background, and the panel follows the job to its
 * summary. Importing the same file again changes nothing, so a failed import is finished by
 * uploading the file again.
 */

const formats: [ImportSource, string, string][] = [
  ['disqus', 'Disqus (XML export)', '.xml'],
  ['wordpress', 'WordPress (WXR, Tools → Export)', '.xml'],
  ['commento', 'Commento (JSON export)', '.json'],
  ['parley', 'Parley (pnpm parley export)', '.jsonl,.ndjson,.json'],
];


const megabytes = (bytes: number) =>
  bytes < 2 ** 20 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MB`;

export function siteImportPanel(site: AdminSite, onClose: () => void): HTMLElement {
  const formatId = uid('import-format');
  const fileId = uid('import-file');
  const dryId = uid('import-dry');
  const format = h('select', { id: formatId, name: 'format' }, ...formats.map(([value, label]) => h('option', { value }, label)));
  const file = h('input', { id: fileId, name: 'file', type: 'file', accept: formats[0]![2], required: true });
  format.addEventListener('change', () => (file.accept = formats.find(([value]) => value === format.value)?.[2] ?? ''));
  const dryRun = h('input', { id: dryId, name: 'dryRun', type: 'checkbox' });
  const submit = h('button', { class: 'primary', type: 'submit' }, 'Import');
  const progress = h('p', { role: 'status', class: 'help import-progress' });
  const summary = h('div', { class: 'import-summary' });

  async function start(event: Event): Promise<void> {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return void (progress.textContent = 'Choose the export file first.');
    replaceChildren(summary);
    submit.disabled = true;
    progress.textContent = `Uploading ${chosen.name} (${megabytes(chosen.size)})…`;
    try {
      const started = (await api.startImport(site.id, format.value as ImportSource, dryRun.checked, chosen)).import;
      await follow(started);
    } catch (error) {
      progress.textContent = `The import did not start: ${errorText(error)}`;
    } finally {
      submit.disabled = false;
    }
  }

  /** Asks after the job until it is done or failed, while the panel is open. */
  async function follow(job: ImportJob): Promise<void> {
    for (;;) {
      progress.textContent = describeProgress(job);
      if (job.state === 'done' || job.state === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (!panel.isConnected) return;
      job = (await api.importJob(site.id, job.id)).import;
    }
    if (job.summary) replaceChildren(summary, summaryOf(job));
  }

  const form = h(
    'form',
    { class: 'import-form', onsubmit: (event: Event) => void start(event) },
    h('div', { class: 'field' }, h('label', { for: formatId }, 'Format'), format),
    h('div', { class: 'field' }, h('label', { for: fileId }, 'Export file'), file),
    h('div', { class: 'field check' }, dryRun, h('label', { for: dryId }, 'Dry run: read the file and count what would change, write nothing')),
    submit,
  );
  const panel = h(
    'section',
    { class: 'site-import', 'aria-label': `Import comments into ${site.name}` },
    h('div', { class: 'panel-head' }, h('h3', {}, `Import comments into ${site.name}`), h('button', { type: 'button', onclick: onClose }, 'Close')),
    h(
      'p',
      { class: 'help' },
      'Threads become articles (keyed by the source\'s id, else its link: embed the thread with the same key), comments keep their dates, replies and authors. ',
      'Importing the same file again changes nothing; each article is written whole or not at all. Files over the upload limit (100 MB unless your operator changed it): ',
      h('code', {}, `pnpm parley import FORMAT FILE --site ${site.id}`),
      '.',
    ),
    form,
    progress,
    summary,
  );
  return panel;
}

function describeProgress(job: ImportJob): string {
  const p = job.progress;
  const what = job.dryRun ? 'Dry run' : 'Import';
  if (job.state === 'failed') return `${what} stopped: ${job.error ?? 'unknown reason'}`;
  if (job.state === 'done') return `${what} done: ${megabytes(job.bytes)} read.`;
  if (p.articlesTotal === null) return `${what}: reading the file… ${job.bytes > 0 ? Math.floor((p.bytesRead / job.bytes) * 100) : 0}% · ${p.commentsRead} comments`;
  return `${what}: writing… ${p.articlesWritten} of ${p.articlesTotal} articles · ${p.commentsWritten} comments`;
}

function summaryOf(job: ImportJob): HTMLElement {
  const s = job.summary!;
  const skipped = Object.entries(s.skipped) as [ImportSkipReason, number][];
  const rows: [string, string | HTMLElement][] = [
    ['Articles', `${s.articles.created} new, ${s.articles.updated} with new comments, ${s.articles.unchanged} unchanged${s.articles.withoutComments ? ` (${s.articles.withoutComments} without comments left out)` : ''}`],
    ['Comments', `${s.comments.imported} imported, ${s.comments.tombstones} tombstones (deleted), ${s.comments.alreadyImported} already there, ${s.comments.orphans} orphans (shown top-level)`],
    ['Authors', `${s.authors.created} new imported authors`],
    ['Skipped', skipped.length > 0 ? h('ul', { class: 'plain' }, ...skipped.map(([reason, count]) => h('li', {}, `${count} · ${importSkipWords[reason]}`))) : 'nothing'],
  ];
  return h(
    'div',
    {},
    h('h4', {}, s.dryRun ? 'Dry run: nothing was written. It would change:' : 'Imported'),
    h('dl', { class: 'settings' }, ...rows.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
    s.problemCount > 0
      ? h(
          'details',
          {},
          h('summary', {}, `Problems in the file (${s.problemCount}${s.problemCount > s.problems.length ? `, the first ${s.problems.length} shown` : ''})`),
          h('ul', { class: 'plain problems' }, ...s.problems.map((p) => h('li', {}, p.place ? `line ${p.place.line}, column ${p.place.column}: ` : '', p.message))),
        )
      : null,
  );
}
