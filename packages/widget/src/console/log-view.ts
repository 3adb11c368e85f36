import { h, replaceChildren } from '../widget/dom';
import { api, state } from './context';

/** The moderation log: when, who, which action on what, on which site and why. */
export async function renderLog(panel: HTMLElement, superseded: () => boolean): Promise<void> {
  const { entries } = await api.log(state.site || undefined);
  if (superseded()) return;
  if (entries.length === 0) return replaceChildren(panel, h('p', { class: 'empty' }, 'No moderation actions yet.'));
  replaceChildren(
    panel,
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Who'), h('th', {}, 'Action'), h('th', {}, 'Target'), h('th', {}, 'Site'), h('th', {}, 'Reason'))),
      h(
        'tbody',
        {},
        ...entries.map((entry) =>
          h(
            'tr',
            {},
            h('td', {}, new Date(entry.createdAt).toLocaleString()),
            h('td', {}, entry.moderator.name),
            h('td', {}, entry.action),
            h('td', {}, `${entry.targetType} ${entry.targetId}`),
            h('td', {}, entry.site ?? ''),
            h('td', {}, entry.reason ?? ''),
          ),
        ),
      ),
    ),
  );
}
