import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { ArticleKey } from '@parley/contracts';
import { articleUrl, parseSourceDate, tooLong, type Sink } from './source';

/**
 * A Parley export (`pnpm parley export`: JSON lines, authors before articles, each article before
 * its comments, parents before replies), read a line at a time. Authors become imported authors
 * keyed by their id in the exporting Parley: an export never makes anyone an account here.
 */
export async function parseParley(input: Readable, sink: Sink): Promise<void> {
  const authors = new Map<string, string | null>();
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line += 1;
    const place = { line, column: 1 };
    if (!text.trim()) continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line === 1 ? text.replace(/^\uFEFF/, '') : text) as Record<string, unknown>;
      if (!record || typeof record !== 'object') throw new Error('not an object');
    } catch (error) {
      sink.skip('malformed', place, `not a JSON object (${(error as Error).message})`);
      continue;
    }
    const str = (value: unknown) => (typeof value === 'string' ? value : null);
    switch (record.type) {
      case 'site':
        break;
      case 'author':
        if (str(record.id)) authors.set(str(record.id)!, str(record.email));
        break;
      case 'article': {
        const key = str(record.key);
        if (!key || !ArticleKey.safeParse(key).success) {
          sink.problem(place, `an article with the key ${JSON.stringify(key)}, which Parley cannot use; its comments will be skipped`);
          break;
        }
        sink.thread({ sourceId: key, key, title: str(record.title)?.slice(0, 500) ?? null, url: articleUrl(str(record.url)), closed: record.state === 'closed' });
        break;
      }
      case 'comment': {
        const id = str(record.id);
        if (!id) {
          sink.skip('empty_id', place);
          break;
        }
        const status = record.status;
        if (status === 'pending') {
          sink.skip('unapproved', place);
          break;
        }
        const createdAt = parseSourceDate(str(record.createdAt));
        if (!createdAt) {
          sink.skip('bad_date', place);
          break;
        }
        const html = str(record.html) ?? '';
        if (tooLong(html)) {
          sink.skip('too_long', place);
          break;
        }
        const author = (record.author ?? {}) as { id?: unknown; name?: unknown };
        const authorId = str(author.id) ?? 'unknown';
        sink.post({
          sourceId: id,
          threadSourceId: str(record.article) ?? '',
          parentSourceId: str(record.parentId),
          createdAt,
          author: { sourceKey: `id:${authorId}`.slice(0, 400), name: (str(author.name)?.trim() || 'Anonymous').slice(0, 200), email: authors.get(authorId) ?? null },
          html,
          status: status === 'deleted' || status === 'removed' ? status : 'published',
          place,
        });
        break;
      }
      default:
        sink.problem(place, `a line of unknown type ${JSON.stringify(record.type)} was ignored`);
    }
  }
}
