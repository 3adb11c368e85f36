import { h, replaceChildren } from '../widget/dom';
import { bansOnSite } from './bans';
import { api, errorText, state } from './context';
import { wordListsEditor } from './word-lists';

/** Articles & bans: close / reopen / pre-moderate one article, the site's bans, its word lists. */
export function renderControls(panel: HTMLElement): void {
  const message = h('p', { role: 'status' });
  const site = h('input', { id: 'ctl-site', value: state.site || 'demo', required: true });
  const article = h('input', { id: 'ctl-article', placeholder: 'article key', required: true });
  const articleForm = h(
    'form',
    { class: 'inline', 'aria-label': 'Article controls' },
    h('label', { for: site.id }, 'Site', site),
    h('label', { for: article.id }, 'Article', article),
    h('button', { type: 'button', class: 'danger', onclick: () => void setArticle({ state: 'closed' }) }, 'Close discussion'),
    h('button', { type: 'button', onclick: () => void setArticle({ state: 'open' }) }, 'Reopen'),
    h('button', { type: 'button', onclick: () => void setArticle({ premoderation: true }) }, 'Pre-moderate'),
    h('button', { type: 'button', onclick: () => void setArticle({ premoderation: false }) }, 'Publish directly'),
  );
  async function setArticle(changes: { state?: 'open' | 'closed'; premoderation?: boolean }) {
    try {
      await api.setArticle(site.value.trim(), article.value.trim(), changes);
      message.textContent = `Saved: ${article.value} ${changes.state ?? (changes.premoderation ? 'pre-moderated' : 'published directly')}.`;
    } catch (error) {
      message.textContent = errorText(error);
    }
  }
  replaceChildren(
    panel,
    h('h2', {}, 'Article'),
    articleForm,
    message,
    h('h2', {}, 'Bans'),
    ...bansOnSite(() => site.value.trim()),
    h('h2', {}, 'Word lists'),
    wordListsEditor(() => site.value.trim()),
  );
}
