import { renderCommentBody, renderImportedBody } from './markdown';

describe('renderCommentBody', () => {
  it('renders the supported subset: emphasis, strong, code, line breaks and paragraphs', () => {
    expect(renderCommentBody('*one* **two** `three`\nfour\n\nfive')).toBe(
      '<p><em>one</em> <strong>two</strong> <code>three</code><br />\nfour</p>\n<p>five</p>',
    );
  });

  it('keeps non-Latin text intact', () => {
    expect(renderCommentBody('Привет, *мир*! Это комментарий.')).toBe('<p>Привет, <em>мир</em>! Это комментарий.</p>');
  });

  it('renders nested quotes', () => {
    expect(renderCommentBody('> outer\n>> inner\n\nreply')).toBe(
      '<blockquote>\n<p>outer</p>\n<blockquote>\n<p>inner</p>\n</blockquote>\n</blockquote>\n<p>reply</p>',
    );
  });

  it('marks links as untrusted and opens them in a new tab', () => {
    expect(renderCommentBody('[the report](https://example.com/report?id=1)')).toBe(
      '<p><a href="https://example.com/report?id=1" rel="nofollow ugc noopener" target="_blank">the report</a></p>',
    );
    expect(renderCommentBody('[write](mailto:desk@example.com)')).toContain('href="mailto:desk@example.com"');
  });

  it('turns bare URLs into safe links', () => {
    expect(renderCommentBody('see https://example.com/a now')).toBe(
      '<p>see <a href="https://example.com/a" rel="nofollow ugc noopener" target="_blank">https://example.com/a</a> now</p>',
    );
  });

  it('shows script tags as text instead of running them', () => {
    const html = renderCommentBody('<script>alert(1)</script>');
    expect(html).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(html).not.toContain('<script');
  });

  it('never produces event handler attributes', () => {
    for (const body of ['<img src=x onerror=alert(1)>', '<a href="https://x.test" onclick="alert(1)">x</a>', '[x](https://x.test "a\\" onmouseover=\\"alert(1))']) {
      expect(renderCommentBody(body)).not.toMatch(/<[^>]+\son\w+=/i);
    }
  });

  it('refuses javascript: and data: URLs in any spelling', () => {
    for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'vbscript:x']) {
      const html = renderCommentBody(`[click](${url})`);
      expect(html).not.toMatch(/href=/i);
    }
    expect(renderCommentBody('[x](//evil.example)')).not.toContain('evil.example"');
  });

  it('leaves out what the subset does not support (headings, lists, images)', () => {
    const html = renderCommentBody('# Big\n- item\n![pic](https://example.com/a.png)');
    expect(html).not.toMatch(/<h1|<li|<img/);
  });
});

describe('renderImportedBody (another system\'s HTML)', () => {
  it('keeps allowed markup, drops the rest with its scripts, and tames links', () => {
    const { html, body } = renderImportedBody('<p>The <b>deficit</b> <a href="https://x.example/" onclick="steal()">here</a></p><script>alert(1)</script><img src=x onerror=alert(1)><iframe src="https://evil.example"></iframe>');
    expect(html).toBe('<p>The <strong>deficit</strong> <a href="https://x.example/" rel="nofollow ugc noopener" target="_blank">here</a></p>');
    expect(body).toBe('The deficit here');
  });

  it('refuses javascript: links and keeps the text of unknown tags', () => {
    expect(renderImportedBody('<p><a href="javascript:alert(1)">click</a> <span style="x">kept</span></p>').html).toBe('<p><a rel="nofollow ugc noopener" target="_blank">click</a> kept</p>');
  });

  it('turns the line breaks of text without block markup into paragraphs, and decodes entities into the body', () => {
    const { html, body } = renderImportedBody('First line\nsecond &amp; <em>third</em>\n\nNew paragraph <3');
    expect(html).toBe('<p>First line<br />second &amp; <em>third</em></p><p>New paragraph &lt;3</p>');
    expect(body).toBe('First line\nsecond & third\n\nNew paragraph <3');
  });
});
