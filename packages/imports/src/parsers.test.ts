import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportBatchRequest, ImportSource } from '@parley/contracts';
import { runImport, type ImportSummary } from './pipeline';
import { articleKeyFor, parseSourceDate } from './source';

/**
 * The export parsers on files written to hold every kind of mess real exports have (fixtures/):
 * what becomes an article and a comment, what is skipped and why, and the place in the file of
 * each problem. Nothing here needs a database: `send` collects the batches the service would get.
 */
const fixture = (name: string) => join(__dirname, 'fixtures', name);

async function parse(source: ImportSource, file: string, batchComments?: number) {
  const batches: ImportBatchRequest[] = [];
  const summary: ImportSummary = await runImport({
    source,
    file,
    site: 'gazette',
    dryRun: false,
    batchComments,
    send: async (batch) => {
      batches.push(batch);
      return { articles: { created: batch.articles.length, updated: 0, unchanged: 0 }, comments: { imported: 0, tombstones: 0, alreadyImported: 0, orphans: 0 }, authors: { created: 0 } };
    },
  });
  const articles = batches.flatMap((batch) => batch.articles);
  const article = (key: string) => articles.find((a) => a.key === key)!;
  const ids = (key: string) => article(key).comments.map((c) => c.sourceId);
  const problems = summary.problems.map((p) => `${p.place ? `${p.place.line}:${p.place.column} ` : ''}${p.message}`);
  return { summary, batches, articles, article, ids, problems };
}

describe('Disqus', () => {
  it('reads threads and posts, skipping what must be skipped with the place of each', async () => {
    const { summary, articles, article, ids, problems } = await parse('disqus', fixture('disqus-messy.xml'));
    expect(articles.map((a) => a.key).sort()).toEqual([
      '123-https:-www.gazette.example-p-123~ba64f9eea5', // an id Parley can't use as a key: made into one
      'budget-2024',
      'letters-page', // a thread without a link keeps its id
      'weird-link',
      'www.gazette.example-culture-opera-review~7d069b47e7', // no id: keyed by its link
    ]);
    expect(article('budget-2024')).toMatchObject({ title: 'The budget, line by line', url: 'https://www.gazette.example/news/budget-2024', closed: false });
    expect(article('123-https:-www.gazette.example-p-123~ba64f9eea5')).toMatchObject({ title: 'Élections : « le jour d’après » 🗳️', closed: true });
    expect(article('weird-link').url).toBeNull();

    // Deleted p3 stays as a tombstone holding p4; p6's parent was spam: sent as it is, an orphan for the service.
    expect(ids('budget-2024')).toEqual(['p1', 'p2', 'p3', 'p4', 'p6']);
    const posts = new Map(article('budget-2024').comments.map((c) => [c.sourceId, c]));
    expect(posts.get('p3')!.status).toBe('deleted');
    expect(posts.get('p4')!.parentSourceId).toBe('p3');
    expect(posts.get('p6')!.parentSourceId).toBe('p5');
    expect(posts.get('p1')!.author).toEqual({ sourceKey: 'user:annr', name: 'Ann Reader', email: 'ann@example.org' });
    // Dates in four forms, all to UTC.
    expect([...posts.values()].map((c) => c.createdAt)).toEqual([
      '2019-03-01T10:00:00.000Z',
      '2019-03-01T10:05:00.000Z',
      '2019-03-01T10:00:00.000Z',
      '2019-03-01T12:00:00.000Z',
      '2019-03-01T10:30:00.250Z',
    ]);
    // CDATA is HTML as Disqus stored it (its entities are HTML's, for the sanitizer); entities outside CDATA are XML's.
    expect(posts.get('p2')!.html).toBe('<p>Replying to Ann &amp; co &lt;3 — entities inside CDATA stay HTML</p>');
    expect(ids('123-https:-www.gazette.example-p-123~ba64f9eea5')).toEqual(['p7']);
    expect(article('123-https:-www.gazette.example-p-123~ba64f9eea5').comments[0]!.html).toContain('Plain text\u00a0with an HTML entity');
    expect(article('www.gazette.example-culture-opera-review~7d069b47e7').comments[0]!.html).toContain('日本語, עברית, e&#769; combining, 🦄 astral');
    expect(article('www.gazette.example-culture-opera-review~7d069b47e7').comments[0]!.author.name).toBe('Zoë 🦄');
    // After a malformed post the next one is read; a reply cycle is sent as it is (the service breaks it).
    expect(ids('weird-link')).toEqual(['p14']);
    expect(ids('letters-page')).toEqual(['p10', 'p15', 'p16']);

    expect(summary.comments.read).toBe(13);
    expect(summary.skipped).toEqual({ spam: 1, duplicate_id: 1, empty_id: 1, bad_date: 1, malformed: 1, unknown_thread: 2 });
    expect(problems).toEqual(
      expect.arrayContaining([
        '1:1 4 stray characters before the XML prolog were ignored',
        '31:3 thread t5 has neither an <id> nor a <link>; its comments will be skipped',
        '35:3 thread t6: the link "javascript:alert(1)" is not an http(s) url; kept without it',
        '75:3 skipped (spam)',
        '93:92 undefined entity.',
        '100:3 skipped (the same comment id twice (the first was kept)): id p1',
        '106:3 skipped (no comment id)',
        '120:3 skipped (a date that could not be read): "yesterday-ish"',
        '144:3 skipped (malformed XML or JSON): unexpected close tag. (line 145, column 63)',
        expect.stringMatching(/^132:3 skipped \(no article in the file to belong to\): comment p11/),
        expect.stringMatching(/^138:3 skipped \(no article in the file to belong to\): comment p12 names the article "t404"/),
      ]),
    );
  });

  it('reports a file cut short, a file that is not XML and an empty one, without throwing', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'parley-import-test-'));
    try {
      const cut = join(folder, 'cut.xml');
      await writeFile(cut, '<?xml version="1.0"?>\n<disqus>\n<thread dsq:id="t1"><id>a1</id></thread>\n<post dsq:id="p1"><thread dsq:id="t1"/><createdAt>2019-01-01T00:00:00Z</createdAt><message><![CDATA[ok]]></message></post>\n<post dsq:id="p2"><thread dsq:id="t1"/><message><![CDATA[the file ends here');
      const cutShort = await parse('disqus', cut);
      expect(cutShort.ids('a1')).toEqual(['p1']);
      expect(cutShort.summary.skipped).toEqual({ malformed: 1 });
      expect(cutShort.problems[0]).toMatch(/^5:1 skipped \(malformed XML or JSON\)/);

      const notXml = join(folder, 'not.xml');
      await writeFile(notXml, 'id,comment\n1,hello\n');
      expect((await parse('disqus', notXml)).problems).toEqual(['1:1 18 stray characters before the XML prolog were ignored', 'no XML element found: the file is empty or not XML']);
      const empty = join(folder, 'empty.xml');
      await writeFile(empty, '');
      expect((await parse('disqus', empty)).problems).toEqual(['no XML element found: the file is empty or not XML']);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('groups posts by thread whatever their order, and never splits an article across batches', async () => {
    const posts = Array.from({ length: 30 }, (_, i) => `<post dsq:id="p${i}"><thread dsq:id="t${i % 3}"/><createdAt>2019-01-01T00:00:${String(i).padStart(2, '0')}Z</createdAt><message>m${i}</message></post>`);
    const threads = [0, 1, 2].map((i) => `<thread dsq:id="t${i}"><id>a${i}</id></thread>`);
    const folder = await mkdtemp(join(tmpdir(), 'parley-import-test-'));
    try {
      const file = join(folder, 'order.xml');
      // Posts before the threads they belong to, interleaved.
      await writeFile(file, `<disqus>${posts.join('\n')}${threads.join('')}</disqus>`);
      const { batches, ids } = await parse('disqus', file, 5);
      expect(batches).toHaveLength(3);
      expect(ids('a1')).toEqual(Array.from({ length: 10 }, (_, i) => `p${i * 3 + 1}`));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('WordPress (WXR)', () => {
  it('reads items and their comments: pingbacks, spam and held comments skipped, trash kept as tombstones', async () => {
    const { summary, article, ids, problems, articles } = await parse('wordpress', fixture('wordpress-messy.xml'));
    expect(articles.map((a) => a.key)).toEqual(['101', 'www.gazette.example-2019-04-link-only~d1a85df941']);
    expect(article('101')).toMatchObject({ title: 'Council votes on the bridge', url: 'https://www.gazette.example/2019/03/bridge/', closed: true });
    expect(ids('101')).toEqual(['1', '2', '6', '7', '8']);
    const [first, reply, trashed, underTrash, orphan] = article('101').comments;
    expect(first).toMatchObject({ createdAt: '2019-03-01T10:00:00.000Z', author: { sourceKey: 'email:ann@example.org', name: 'Ann Reader', email: 'ann@example.org' } });
    expect(first!.html).toContain('First line\nsecond line\n\nA new paragraph');
    // No GMT date (WordPress's zero date): the local one is read instead.
    expect(reply).toMatchObject({ parentSourceId: '1', createdAt: '2019-03-01T12:00:00.000Z', author: { sourceKey: 'id:wp-user-1' }, html: 'Thanks Ann — réponse «officielle» 👍' });
    expect(trashed!.status).toBe('deleted');
    expect(underTrash!.parentSourceId).toBe('6');
    expect(orphan!.parentSourceId).toBe('999');
    expect(summary.articles.withoutComments).toBe(1);
    expect(summary.skipped).toEqual({ pingback: 1, spam: 1, unapproved: 1, duplicate_id: 1, malformed: 2 });
    expect(problems).toEqual(
      expect.arrayContaining([
        '44:5 skipped (pingbacks and trackbacks)',
        '110:5 skipped (the same comment id twice (the first was kept)): id 1',
        expect.stringMatching(/^117:5 skipped \(malformed XML or JSON\)/),
        expect.stringMatching(/^128:5 skipped \(malformed XML or JSON\)/),
      ]),
    );
  });
});

describe('Commento', () => {
  it('reads comments and commenters, naming each problem by its index', async () => {
    const { summary, article, problems } = await parse('commento', fixture('commento.json'));
    const budget = article('www.gazette.example-news-budget~45b4781bcf');
    expect(budget.url).toBe('https://www.gazette.example/news/budget/');
    expect(budget.comments.map((c) => [c.sourceId, c.parentSourceId, c.status, c.author.name, c.author.email])).toEqual([
      ['aa01', null, 'published', 'Ann Reader', 'ann@example.org'],
      ['aa02', 'aa01', 'published', 'Anonymous', null],
      ['aa03', null, 'deleted', 'Bob', 'bob@example.org'],
    ]);
    expect(summary.skipped).toEqual({ unapproved: 1, spam: 1, empty_id: 1, bad_date: 1, duplicate_id: 1 });
    expect(problems).toContain('skipped (a date that could not be read): comments[6]: "not a date"');
  });

  it('reports a file that is not JSON, and refuses one too big to read whole', async () => {
    const { summary, problems } = await parse('commento', fixture('commento-broken.json'));
    expect(summary.skipped).toEqual({ malformed: 1 });
    // JSON.parse names no place in Node 20's message; the message quotes the text it stopped at.
    expect(problems[0]).toMatch(/skipped \(malformed XML or JSON\): the file is not valid JSON \(Unexpected token 'o'.*oops/);
    await expect(runImport({ source: 'commento', file: fixture('commento.json'), site: 'g', dryRun: true, maxWholeFileBytes: 100, send: async () => { throw new Error('not reached'); } })).rejects.toThrow(/read whole/);
  });
});

describe('Parley (JSON lines)', () => {
  it('reads articles and comments line by line, with the line of each problem', async () => {
    const { summary, article, problems } = await parse('parley', fixture('parley.jsonl'));
    expect(article('budget-2024').comments.map((c) => [c.sourceId, c.status, c.author.email])).toEqual([
      ['c1', 'published', 'ann@example.org'],
      ['c3', 'removed', null],
    ]);
    expect(summary.skipped).toEqual({ malformed: 1, unapproved: 1, unknown_thread: 1 });
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^5:1 skipped \(malformed/), '8:1 an article with the key "bad key!", which Parley cannot use; its comments will be skipped', '10:1 a line of unknown type "mystery" was ignored']));
  });
});

describe('dates and keys', () => {
  it.each([
    ['2019-03-01T10:00:00Z', '2019-03-01T10:00:00.000Z'],
    ['2019-03-01T10:00:00', '2019-03-01T10:00:00.000Z'],
    ['2019-03-01 10:00:00', '2019-03-01T10:00:00.000Z'],
    ['2019-03-01T12:00:00+0200', '2019-03-01T10:00:00.000Z'],
    ['2019-03-01', '2019-03-01T00:00:00.000Z'],
    ['Fri, 01 Mar 2019 10:00:00 GMT', '2019-03-01T10:00:00.000Z'],
    ['1551434400', '2019-03-01T10:00:00.000Z'],
    ['1551434400000', '2019-03-01T10:00:00.000Z'],
    ['0000-00-00 00:00:00', undefined],
    ['soon', undefined],
    ['', undefined],
  ])('reads %j as %s', (text, expected) => {
    expect(parseSourceDate(text)).toBe(expected);
  });

  it('keys an article by its id when Parley can use it, else by a readable slug with a hash', () => {
    expect(articleKeyFor('story-42', null)).toBe('story-42');
    expect(articleKeyFor('42 https://x.example/?p=42', null)).toMatch(/^42-https:-x.example-p-42~[0-9a-f]{10}$/);
    expect(articleKeyFor('  ', 'https://x.example/a/b/')).toMatch(/^x.example-a-b~[0-9a-f]{10}$/);
    expect(articleKeyFor('été', null)).not.toBe(articleKeyFor('ete', null));
    expect(articleKeyFor(null, null)).toBeUndefined();
    expect(articleKeyFor('x'.repeat(500), null)!.length).toBeLessThanOrEqual(200);
  });
});
