import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Comment bodies are Markdown source; readers get HTML. Rendering is deliberately a small subset
 * (no headings, images, lists or raw HTML) so a comment can't dress itself up as the article, and
 * the output goes through an allow-list sanitizer anyway: the renderer is not trusted to be safe
 * on its own.
 */
const markdown = new MarkdownIt('zero', { html: false, breaks: true, linkify: true })
  .enable(['paragraph', 'newline', 'emphasis', 'link', 'blockquote', 'backticks', 'escape', 'linkify']);

const linkRel = 'nofollow ugc noopener';

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 'a', 'blockquote', 'code'],
  allowedAttributes: { a: ['href', 'rel', 'target'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    // Readers' links are untrusted: no ranking credit, no access to the page that opened them.
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...(attribs.href ? { href: attribs.href } : {}), rel: linkRel, target: '_blank' },
    }),
  },
};

/** Markdown source → the sanitized HTML stored beside it and shown to readers. */
export function renderCommentBody(body: string): string {
  return sanitizeHtml(markdown.render(body), sanitizeOptions).trim();
}

const importedOptions: sanitizeHtml.IOptions = {
  ...sanitizeOptions,
  // Another system's HTML (Disqus, WordPress): markup outside the allow-list is dropped, its text kept.
  allowedTags: [...(sanitizeOptions.allowedTags as string[]), 'b', 'i', 'u', 's', 'pre'],
  disallowedTagsMode: 'discard',
  nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'iframe', 'object'],
  transformTags: { ...sanitizeOptions.transformTags, b: 'strong', i: 'em' },
};
const textOnly: sanitizeHtml.IOptions = { allowedTags: [], allowedAttributes: {}, nonTextTags: importedOptions.nonTextTags! };
const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", nbsp: ' ' };
const paragraphs = (text: string) => text.split(/\n{2,}/).map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`).join('');

/**
 * An imported comment's HTML → what Parley stores: the same allow-listed HTML readers get for any
 * comment (links tamed the same way), and a plain-text body (the source an edit would start from).
 * Text without block markup (a WordPress comment, whose line breaks WordPress turns into
 * paragraphs when it shows it; Commento's markdown) keeps its line breaks the same way.
 */
export function renderImportedBody(source: string): { body: string; html: string } {
  const marked = /<(p|br|div|blockquote|pre|ul|ol|li|table|h[1-6])\b/i.test(source) ? source : paragraphs(source.trim());
  const html = sanitizeHtml(marked, importedOptions).trim();
  const body = sanitizeHtml(marked.replace(/<br\s*\/?>/gi, '\n').replace(/<\/p>/gi, '\n\n'), textOnly)
    .replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (_m, name: string) => entities[name]!)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { body, html };
}
