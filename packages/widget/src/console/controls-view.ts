import type { ArticleModerationRequest } from '@parley/contracts';
import { isApiError } from '../http';
import { h, replaceChildren } from '../widget/dom';
import { articlesList } from './articles-view';
import { bansOnSite } from './bans';
import { api, errorText, state } from './context';
import { wordListsEditor } from './word-lists';

type ArticleChange = Pick<ArticleModerationRequest, 'state' | 'premoderation'>;

const describe = (changes: ArticleChange) => changes.state ?? (changes.premoderation ? 'pre-moderated' : 'published directly');

/** Articles & bans: close / reopen / pre-moderate one article, the site's bans, its word lists. */
export function renderControls(panel: HTMLElement): void {
  const message = h('p', { role: 'status' });
  const sites = h('datalist', { id: 'ctl-sites' }, ...state.sites.map((site) => h('option', { value: site.id }, site.name)));
  const site = h('input', { id: 'ctl-site', value: state.site || state.sites[0]?.id || 'demo', required: true, list: sites.id, autocomplete: 'off' });
  const article = h('input', { id: 'ctl-article', placeholder: 'article key', required: true });
  const articleForm = h(
    'form',
    { class: 'inline', 'aria-label': 'Article controls' },
    h('label', { for: site.id }, 'Site', site),
    sites,
    h('label', { for: article.id }, 'Article', article),
    h('button', { type: 'button', class: 'danger', onclick: () => void setArticle({ state: 'closed' }) }, 'Close discussion'),
    h('button', { type: 'button', onclick: () => void setArticle({ state: 'open' }) }, 'Reopen'),
    h('button', { type: 'button', onclick: () => void setArticle({ premoderation: true }) }, 'Pre-moderate'),
    h('button', { type: 'button', onclick: () => void setArticle({ premoderation: false }) }, 'Publish directly'),
  );
  articleForm.addEventListener('submit', (event) => event.preventDefault());
  /**
   * Changes an article that exists (someone commented on it). An unknown key is most likely a
   * typo: it is refused, and creating the article before its first comment takes a second click.
   */
  async function setArticle(changes: ArticleChange, create = false) {
    const [siteId, key] = [site.value.trim(), article.value.trim()];
    if (!siteId || !key) return void (message.textContent = 'Give the site and the article key.');
    if (changes.state === 'closed' && !create && !confirm(`Close the discussion of "${key}" on ${siteId}? Readers can no longer comment.`)) return;
    try {
      await api.setArticle(siteId, key, { ...changes, create });
      replaceChildren(message, `Saved: ${key} ${describe(changes)}.`);
    } catch (error) {
      if (isApiError(error) && error.code === 'article_not_found') {
        replaceChildren(
          message,
          h('span', { class: 'error' }, `Nothing changed: there is no article "${key}" on ${siteId} (nobody has commented on it). Check the key. `),
          h('button', { type: 'button', onclick: () => void setArticle(changes, true) }, `Set up "${key}" as ${describe(changes)} anyway`),
        );
        return;
      }
      replaceChildren(message, h('span', { class: 'error' }, errorText(error)));
    }
  }
  const words = wordListsEditor(() => site.value.trim());
  const articles = articlesList(
    () => site.value.trim(),
    (key) => {
      article.value = key;
      article.focus();
    },
  );
  site.addEventListener('change', () => {
    void words.load();
    void articles.load();
  });
  replaceChildren(
    panel,
    h('h2', {}, 'Articles'),
    articles.element,
    h('h2', {}, 'Article'),
    articleForm,
    message,
    h('h2', {}, 'Bans'),
    ...bansOnSite(() => site.value.trim()),
    h('h2', {}, 'Word lists'),
    words.element,
  );
  void words.load();
  void articles.load();
}
