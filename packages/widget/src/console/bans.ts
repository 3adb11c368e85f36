import type { ModerationQueueItem } from '@parley/contracts';
import { h, replaceChildren } from '../widget/dom';
import { announce, api, errorText, refresh } from './context';

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
    h('button', { type: 'button', onclick: () => close() }, 'Cancel'),
  );
  const error = h('span', { class: 'error', role: 'alert' });
  form.append(error);
  /** Closes the form and gives focus back to its queue item, so j/k and the keys work on. */
  const close = () => {
    // The item now holding the form (a redraw moves the form onto the fresh item).
    const item = form.closest<HTMLElement>('.item');
    form.remove();
    item?.focus();
  };
  form.addEventListener('keydown', (event) => event.key === 'Escape' && close());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    // Asked before anything is saved: cancelling means no ban and no removal.
    if (removeAll.checked && !confirm(`Ban ${item.author.name} and remove every comment by them on ${item.article.site}?`)) return;
    const until = duration.value === 'forever' ? undefined : new Date(Date.now() + Number(duration.value) * 86_400_000).toISOString();
    const submit = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
    submit.disabled = true;
    try {
      await api.ban(item.author.id, item.article.site, reason.value, until);
      let removed = '';
      if (removeAll.checked) {
        try {
          removed = ` ${(await api.removeAll(item.article.site, item.author.id, reason.value)).removed.length} of their comments removed.`;
        } catch (failure) {
          removed = ` Their comments were not removed: ${errorText(failure)}`;
        }
      }
      announce(`${item.author.name} is banned on ${item.article.site}.${removed}`);
      form.remove();
      await refresh();
    } catch (failure) {
      error.textContent = errorText(failure);
    } finally {
      submit.disabled = false;
    }
  });
  host.append(form);
  reason.focus();
}

/** The bans on a site with Unban: a button that shows them, and the list it fills. */
export function bansOnSite(site: () => string): [HTMLButtonElement, HTMLElement] {
  const bansList = h('div', {});
  const status = h('p', { role: 'status' });
  /** Unban, and say so, or say why not (a failure is never silent). */
  function unbanButton(userId: string, name: string): HTMLButtonElement {
    const button = h('button', { type: 'button' }, 'Unban');
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await api.unban(userId, site());
        status.textContent = `${name} is no longer banned on ${site()}.`;
        await loadBans();
      } catch (error) {
        status.textContent = `Could not unban ${name}: ${errorText(error)}`;
        status.setAttribute('role', 'alert');
        button.disabled = false;
      }
    });
    return button;
  }
  async function loadBans() {
    status.setAttribute('role', 'status');
    try {
      const { bans } = await api.bans(site());
      replaceChildren(
        bansList,
        bans.length === 0
          ? h('p', { class: 'empty' }, 'Nobody is banned on this site.')
          : h(
              'table',
              {},
              h('thead', {}, h('tr', {}, h('th', {}, 'Who'), h('th', {}, 'Why'), h('th', {}, 'Banned by'), h('th', {}, 'Until'), h('th', {}, ''))),
              h(
                'tbody',
                {},
                ...bans.map((ban) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, ban.userName ?? 'someone who never commented', h('br', {}), h('small', { class: 'help' }, ban.userId)),
                    h('td', {}, ban.reason),
                    h('td', {}, ban.moderator.name, h('br', {}), h('small', { class: 'help' }, new Date(ban.createdAt).toLocaleString())),
                    h('td', {}, ban.until ? new Date(ban.until).toLocaleString() : 'permanently'),
                    h('td', {}, unbanButton(ban.userId, ban.userName ?? ban.userId)),
                  ),
                ),
              ),
            ),
      );
    } catch (error) {
      replaceChildren(bansList, h('p', { class: 'error' }, errorText(error)));
    }
  }
  return [h('button', { onclick: () => void loadBans() }, 'Show bans for this site'), h('div', {}, status, bansList)];
}
