import { articleKeyFor, articleUrl, parseSourceDate, sourceAuthor, tooLong, type Place, type Sink } from './source';
import { readXml, type XmlShape } from './xml';

/**
 * A Disqus export (`<disqus>`: every `<thread>` first, then every `<post>`, which names its thread
 * and parent by `dsq:id`). Posts are handed on as they close; grouping them by article is the
 * caller's (the import spools them), so a post may come long after its thread, or before it.
 */

interface Open {
  kind: 'thread' | 'post';
  place: Place;
  id: string;
  fields: Record<string, string>;
  thread?: string;
  parent?: string;
  broken?: string;
}

const truthy = (value: string | undefined) => value?.trim().toLowerCase() === 'true' || value?.trim() === '1';

export async function parseDisqus(chunks: AsyncIterable<string>, sink: Sink, limits: Pick<XmlShape, 'maxConstructChars'> = {}): Promise<void> {
  const path: string[] = [];
  let current: Open | undefined;
  let sawRoot = false;

  await readXml(
    chunks,
    {
      open(name, attributes, place) {
        path.push(name);
        if (path.length === 1) {
          sawRoot = true;
          if (name !== 'disqus') sink.problem(place, `the file's root is <${name}>, not <disqus>: is this a Disqus export?`);
          return;
        }
        if (path.length === 2 && (name === 'thread' || name === 'post')) {
          current = { kind: name, place, id: (attributes['dsq:id'] ?? '').trim(), fields: {} };
          return;
        }
        if (current && path.length === 3 && current.kind === 'post') {
          if (name === 'thread') current.thread = (attributes['dsq:id'] ?? '').trim();
          if (name === 'parent') current.parent = (attributes['dsq:id'] ?? '').trim();
        }
      },
      close(name, text) {
        const depth = path.length;
        path.pop();
        if (!current) return;
        if (depth === 3) current.fields[name] = text;
        else if (depth === 4 && path[2] === 'author') current.fields[`author.${name}`] = text;
        else if (depth === 2) {
          const done = current;
          current = undefined;
          if (done.kind === 'thread') thread(done, sink);
          else post(done, sink);
        }
      },
      error(place, message, harmless) {
        if (harmless || !current) sink.problem(place, message);
        else if (!current.broken) current.broken = `${message} (line ${place.line}, column ${place.column})`;
      },
    },
    { recordDepth: 1, raw: new Set(['message']), ...limits },
  );
  if (!sawRoot) sink.problem(undefined, 'no XML element found: the file is empty or not XML');
  // An element still open at the end of the file (cut short) was never handed on.
  if (current) sink.skip('malformed', current.place, `<${current.kind}> never closed (the file ends inside it)`);
}

function thread(open: Open, sink: Sink): void {
  const f = open.fields;
  if (open.broken) return sink.problem(open.place, `thread ${open.id || '(no id)'}: ${open.broken}; its comments will be skipped`);
  if (!open.id) return sink.problem(open.place, 'a thread without dsq:id; its comments cannot name it');
  const key = articleKeyFor(f.id ?? null, f.link ?? null);
  if (!key) return sink.problem(open.place, `thread ${open.id} has neither an <id> nor a <link>; its comments will be skipped`);
  const url = articleUrl(f.link ?? null);
  if (f.link?.trim() && !url) sink.problem(open.place, `thread ${open.id}: the link "${f.link.trim().slice(0, 80)}" is not an http(s) url; kept without it`);
  sink.thread({ sourceId: open.id, key, title: f.title?.trim().slice(0, 500) || null, url, closed: truthy(f.isClosed) });
}

function post(open: Open, sink: Sink): void {
  const f = open.fields;
  if (open.broken) return sink.skip('malformed', open.place, open.broken);
  if (!open.id) return sink.skip('empty_id', open.place);
  if (truthy(f.isSpam)) return sink.skip('spam', open.place);
  if (f.isApproved !== undefined && !truthy(f.isApproved)) return sink.skip('unapproved', open.place);
  if (!open.thread) return sink.skip('unknown_thread', open.place, `post ${open.id} names no thread`);
  const createdAt = parseSourceDate(f.createdAt);
  if (!createdAt) return sink.skip('bad_date', open.place, `"${(f.createdAt ?? '').trim().slice(0, 40)}"`);
  const html = f.message ?? '';
  if (tooLong(html)) return sink.skip('too_long', open.place);
  sink.post({
    sourceId: open.id,
    threadSourceId: open.thread,
    parentSourceId: open.parent || null,
    createdAt,
    author: sourceAuthor({ username: f['author.username'], email: f['author.email'], name: f['author.name'] }),
    html,
    status: truthy(f.isDeleted) ? 'deleted' : 'published',
    place: open.place,
  });
}
