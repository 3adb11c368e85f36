import { escapeHtml } from './html';
import type { CaughtMail } from './transport';

const linkify = (text: string) =>
  escapeHtml(text).replace(/https?:\/\/[^\s<>"']+/g, (url) => `<a href="${url}">${url}</a>`);

/**
 * The page of caught mail at /dev/mail (embedded `pnpm start` only): newest first, each with its
 * headers, the plain text with working links, and the HTML part in a sandboxed frame.
 */
export function renderCaughtMailPage(messages: CaughtMail[]): string {
  const items = messages.map((m) => {
    const headers = Object.entries(m.headers)
      .map(([name, value]) => `<div><b>${escapeHtml(name)}:</b> ${escapeHtml(value)}</div>`)
      .join('');
    return `<article class="mail" data-mail-id="${escapeHtml(m.id)}">
<h2>${escapeHtml(m.subject)}</h2>
<div class="meta"><div><b>To:</b> <span class="to">${escapeHtml(m.to)}</span></div><div><b>From:</b> ${escapeHtml(m.from)}</div><div><b>At:</b> ${escapeHtml(m.at)}</div>${headers}</div>
<pre class="text">${linkify(m.text)}</pre>
<details><summary>HTML</summary><iframe sandbox="" srcdoc="${escapeHtml(m.html)}" title="HTML part"></iframe></details>
</article>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Caught mail · Parley</title>
<style>body{font-family:system-ui,sans-serif;max-width:900px;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
.mail{border:1px solid #ddd;border-radius:8px;padding:1rem;margin:1rem 0}.meta{font-size:14px;color:#444}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.75rem;border-radius:6px}iframe{width:100%;height:360px;border:1px solid #ddd}</style></head>
<body><h1>Caught mail</h1>
<p>No SMTP server is configured (<code>SMTP_URL</code>), so Parley keeps its outgoing mail here instead of sending it. Newest first; this page exists only under <code>pnpm start</code>.</p>
${items.length ? items.join('\n') : '<p class="empty">No mail yet.</p>'}
</body></html>`;
}
