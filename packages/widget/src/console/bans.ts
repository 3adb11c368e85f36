import type { ModerationQueueItem } from '@parley/contracts';
import { h, replaceChildren } from '../widget/dom';
import { announce, api, baseUrl, errorText, refresh, session } from './context';

/** The inline ban form under a queue item: reason, duration, and optionally removing all their comments. */
export function openBan(item: ModerationQueueItem): void {
  const host = document.querySelector(`.item[data-id="${item.comment.id}"]`);
  if (!host || host.querySelector('form.ban')) return;
  const reason = h('input', { id: `ban-reason-${item.comment.id}`, value: 'Repeatedly breaks the community rules', required: true });
  const duration = h(
    'select',
    { id: `ban-until-${item.comment.id}` },
    h('option', { value: '1' }, '1 day'),
    h('option', { value: '7' }, '7 days'),
    h('option', { value: '30' }, '30 days'),
    h('option', { value: 'forever' }, 'Permanently'),
  );
  duration.value = '7';
  const removeAll = h('input', { type: 'checkbox', id: `ban-purge-${item.comment.id}` });
  const form = h(
    'form',
    { class: 'inline ban', 'aria-label': `Ban ${item.author.name}` },
    h('label', { for: reason.id }, 'Reason', reason),
    h('label', { for: duration.id }, 'For', duration),
    h('label', { for: removeAll.id }, h('span', {}, 'Also remove all their comments on this site'), removeAll),
    h('button', { type: 'submit', class: 'danger' }, `Ban ${item.author.name}`),
    h('button', { type: 'button', onclick: () => form.remove() }, 'Cancel'),
  );
  form.addEventListener('keydown', (event) => event.key === 'Escape' && form.remove());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const until = duration.value === 'forever' ? undefined : new Date(Date.now() + Number(duration.value) * 86_400_000).toISOString();
    try {
      await api.ban(item.author.id, item.article.site, reason.value, until);
      if (removeAll.checked) {
        if (!confirm(`Remove every comment by ${item.author.name} on ${item.article.site}?`)) return;
        await fetchRemoveAll(item, reason.value);
      }
      announce(`${item.author.name} is banned on ${item.article.site}.`);
      await refresh();
    } catch (error) {
      form.append(h('span', { class: 'error', role: 'alert' }, errorText(error)));
    }
  });
  host.append(form);
  reason.focus();
}

async function fetchRemoveAll(item: ModerationQueueItem, reason: string): Promise<void> {
  const token = await session.token();
  const response = await fetch(`${baseUrl}/api/moderation/sites/${item.article.site}/users/${item.author.id}/remove-all`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ reason, confirm: true }),
  });
  if (!response.ok) throw new Error(`remove-all answered ${response.status}`);
}

/** The bans on a site with Unban: a button that shows them, and the list it fills. */
export function bansOnSite(site: () => string): [HTMLButtonElement, HTMLElement] {
  const bansList = h('div', {});
  async function loadBans() {
    try {
      const { bans } = await api.bans(site());
      replaceChildren(
        bansList,
        bans.length === 0
          ? h('p', { class: 'empty' }, 'Nobody is banned on this site.')
          : h(
              'table',
              {},
              h('thead', {}, h('tr', {}, h('th', {}, 'User'), h('th', {}, 'Reason'), h('th', {}, 'Until'), h('th', {}, ''))),
              h(
                'tbody',
                {},
                ...bans.map((ban) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, ban.userId),
                    h('td', {}, ban.reason),
                    h('td', {}, ban.until ? new Date(ban.until).toLocaleString() : 'permanently'),
                    h('td', {}, h('button', { onclick: () => void api.unban(ban.userId, site()).then(loadBans) }, 'Unban')),
                  ),
                ),
              ),
            ),
      );
    } catch (error) {
      replaceChildren(bansList, h('p', { class: 'error' }, errorText(error)));
    }
  }
  return [h('button', { onclick: () => void loadBans() }, 'Show bans for this site'), bansList];
}
