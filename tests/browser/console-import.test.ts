import type { Page } from 'playwright-core';
import { screenshot } from './browser';
import { consoleSignIn } from './console-sign-in';
import { startBrowserFixture, type BrowserFixture } from './fixture';

/**
 * A newsroom brings its Disqus history in from the console (issue 17): the admin picks the site's
 * "Import comments…", chooses the export file, tries a dry run, imports, reads the summary, and
 * the old discussion is on the article page in the widget, replies under their parents.
 */
jest.setTimeout(120_000);

let f: BrowserFixture;
beforeAll(async () => (f = await startBrowserFixture()));
afterAll(async () => f?.close());

const disqusExport = `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="t1"><id>council-vote</id><link>https://www.courier.example/council-vote</link><title>The council vote</title></thread>
  <post dsq:id="p1"><message><![CDATA[<p>Back in 2019 the <b>warehouse</b> plan was already contested.</p>]]></message><createdAt>2019-03-01T10:00:00Z</createdAt><author><name>Harriet Old-Reader</name><username>harriet</username></author><thread dsq:id="t1"/></post>
  <post dsq:id="p2"><message><![CDATA[<p>And nobody listened.</p>]]></message><createdAt>2019-03-01T11:00:00Z</createdAt><author><name>Ivo Archive</name><username>ivo</username></author><thread dsq:id="t1"/><parent dsq:id="p1"/></post>
  <post dsq:id="p3"><message><![CDATA[<p>Cheap watches</p>]]></message><createdAt>2019-03-01T12:00:00Z</createdAt><isSpam>true</isSpam><author><name>Spam</name></author><thread dsq:id="t1"/></post>
</disqus>
`;

async function signIn(): Promise<Page> {
  const context = await f.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${f.gatewayUrl}/moderate`);
  await consoleSignIn(page, 'admin@example.com', 'parley-demo', { database: f.database.source });
  await page.getByRole('tab', { name: 'Reported' }).waitFor();
  return page;
}

it('an admin imports a Disqus export from the console, reads the summary, and the thread is on the article page', async () => {
  const admin = await signIn();
  await admin.getByRole('tab', { name: 'Sites' }).click();
  await admin.locator(`.site-card[data-site="${f.siteId}"]`).getByRole('button', { name: /Import comments/ }).click();
  const panel = admin.getByRole('region', { name: /Import comments into/ });
  await panel.getByLabel('Format').selectOption('disqus');
  await panel.getByLabel('Export file').setInputFiles({ name: 'courier-disqus.xml', mimeType: 'text/xml', buffer: Buffer.from(disqusExport) });

  // A dry run first: counted, nothing written.
  await panel.getByLabel(/Dry run/).check();
  await panel.getByRole('button', { name: 'Import' }).click();
  await panel.getByRole('heading', { name: /Dry run: nothing was written/ }).waitFor();
  await panel.getByText('2 imported, 0 tombstones', { exact: false }).waitFor();
  const thread = async () => (await fetch(`${f.gatewayUrl}/api/sites/${f.siteId}/articles/council-vote/comments`)).json() as Promise<{ article: { commentCount: number } | null; comments: unknown[] }>;
  expect((await thread()).comments).toEqual([]);

  await panel.getByLabel(/Dry run/).uncheck();
  await panel.getByRole('button', { name: 'Import' }).click();
  await panel.getByRole('heading', { name: 'Imported' }).waitFor();
  await panel.getByRole('status').getByText(/Import done/).waitFor();
  await panel.getByText('1 new, 0 with new comments', { exact: false }).waitFor();
  await panel.getByText('2 imported, 0 tombstones', { exact: false }).waitFor();
  await panel.getByText('1 · spam').waitFor();
  await panel.getByText(/Problems in the file \(1\)/).click();
  await panel.getByText(/line 6, column 3: skipped \(spam\)/).waitFor();
  await screenshot(admin, 'console-import-summary');
  expect((await thread()).article?.commentCount).toBe(2);

  // The reader's page: the old discussion, the reply under its parent, bodies sanitized as Parley's own.
  const reader = await (await f.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await reader.goto(`${f.demoUrl}/articles/council-vote.html`);
  const widget = reader.locator('parley-comments');
  await widget.scrollIntoViewIfNeeded();
  await widget.getByText('Harriet Old-Reader').waitFor();
  await widget.locator('strong', { hasText: 'warehouse' }).waitFor();
  await widget.getByText('And nobody listened.').waitFor();
  expect(await widget.getByText('Cheap watches').count()).toBe(0);
  await screenshot(reader, 'console-import-widget');
});
