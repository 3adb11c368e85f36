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
