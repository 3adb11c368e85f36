import type { PreviewResponse } from '@parley/contracts';
import type { Api } from '../api';
import type { I18n } from '../i18n';
import type { h as H } from './dom';
import type { errorMessage as ErrorMessage } from './errors';

/** The one sentence only this chunk says, per language ("Preview" itself is in the main catalogs). */
const writeLabel = { en: 'Write', ru: 'Текст' };

export interface PreviewParts {
  i18n: I18n;
  api: Api;
  textarea: HTMLTextAreaElement;
  /** The "Preview" / "Write" button. */
  toggle: HTMLButtonElement;
  showError(message: string): void;
}

/**
 * "Preview" on a comment box: the server renders the text with the function that renders published
 * comments (POST /api/preview), so what shows is exactly what will be published; "Write" brings the
 * box back with its text as it was. The widget's helpers are handed in rather than imported: this
 * file is a chunk of its own (loaded on first use), and importing them would split them out of widget.js.
 */
export async function togglePreview(parts: PreviewParts, tools: { h: typeof H; errorMessage: typeof ErrorMessage }): Promise<void> {
  const { i18n, api, textarea, toggle, showError } = parts;
  let box = textarea.nextElementSibling?.classList.contains('preview') ? (textarea.nextElementSibling as HTMLElement) : null;
  const show = (previewing: boolean) => {
    textarea.hidden = previewing;
    if (box) box.hidden = !previewing;
    toggle.textContent = previewing ? writeLabel[i18n.lang] : i18n.t('preview');
    toggle.setAttribute('aria-pressed', String(previewing));
  };
  if (textarea.hidden) {
    show(false);
    textarea.focus();
    return;
  }
  const body = textarea.value.trim();
  if (!body) return showError(i18n.t('empty'));
  showError('');
  toggle.disabled = true;
  try {
    const { html } = await api.authorized<PreviewResponse>('/api/preview', { method: 'POST', body: { body }, auth: 'required' });
    box ??= tools.h('div', {
      class: 'c-text preview',
      role: 'region',
      'aria-label': i18n.t('preview'),
      style: 'min-height:84px;margin:0;padding:8px;border:1px dashed var(--parley-border);border-radius:6px',
    });
    textarea.after(box);
    // The server's sanitized rendering, the same HTML a published comment shows.
    box.innerHTML = html;
    show(true);
  } catch (error) {
    showError(tools.errorMessage(i18n, error));
  } finally {
    toggle.disabled = false;
  }
}
