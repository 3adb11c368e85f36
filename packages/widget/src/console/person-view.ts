import { h, replaceChildren } from '../widget/dom';
import { api, errorText, state } from './context';
import { logSentence } from './log-view';

/**
 * A person's history in a dialog (outside the list, so no live redraw touches it): their recent
 * comments on the sites in view, their active bans, the notes moderators left, the latest actions
 * on them, and a form to add a note (for the site of the comment it was opened from).
 */
export async function openPerson(userId: string, name: string, site: string): Promise<void> {
  document.querySelector('dialog.person')?.remove();
  const body = h('div', {}, h('p', { class: 'help' }, 'Loading…'));
  const dialog = h(
    'dialog',
    { class: 'person', 'aria-label': `About ${name}` },
    h('div', { class: 'panel-head' }, h('h2', {}, name), h('button', { type: 'button', onclick: () => dialog.close() }, 'Close')),
    body,
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  const inView = state.site || undefined;
  try {
    const [record, history] = await Promise.all([api.person(userId, inView), api.personComments(userId, inView)]);
    const notes = h('ul', { class: 'plain notes', 'aria-label': 'Notes' }, ...record.notes.map((note) => h('li', {}, ...logSentence(note), ' ', h('small', { class: 'help' }, new Date(note.createdAt).toLocaleString()))));
    const text = h('textarea', { id: 'person-note', rows: 2, maxlength: 1000, required: true });
    const status = h('p', { role: 'status' });
    const form = h(
      'form',
      { class: 'stack', 'aria-label': `Note about ${name}` },
      h('label', { for: text.id }, `A note for the moderators of ${site}`, text),
      h('button', { type: 'submit' }, 'Add note'),
      status,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const note = await api.addNote(userId, site, text.value);
        notes.prepend(h('li', {}, ...logSentence(note)));
        text.value = '';
        status.textContent = 'Note added.';
      } catch (error) {
        status.textContent = errorText(error);
      }
    });
    replaceChildren(
      body,
      h('h3', {}, 'Bans'),
      record.bans.length === 0
        ? h('p', { class: 'help' }, 'Not banned on the sites you see.')
        : h('ul', { class: 'plain' }, ...record.bans.map((ban) => h('li', {}, `${ban.site}: ${ban.reason} — by ${ban.moderator.name}, ${ban.until ? `until ${new Date(ban.until).toLocaleString()}` : 'permanently'}`))),
      h('h3', {}, 'Notes'),
      record.notes.length === 0 ? null : notes,
      form,
      h('h3', {}, 'Recent comments'),
      history.items.length === 0
        ? h('p', { class: 'help' }, 'No comments on the sites you see.')
        : h(
            'ul',
            { class: 'plain history', 'aria-label': 'Recent comments' },
            ...history.items.map(({ comment, article }) =>
              h(
                'li',
                {},
                h('span', { class: `chip${comment.status === 'removed' ? ' banned' : ''}` }, comment.status),
                ' ',
                comment.body.slice(0, 200),
                ' ',
                h('small', { class: 'help' }, `${article.title ?? article.key} · ${article.site} · ${new Date(comment.createdAt).toLocaleString()}`),
              ),
            ),
          ),
      h('h3', {}, 'What moderators did'),
      record.actions.length === 0
        ? h('p', { class: 'help' }, 'Nothing yet.')
        : h('ul', { class: 'plain', 'aria-label': 'Actions' }, ...record.actions.map((entry) => h('li', {}, ...logSentence(entry)))),
    );
    if (record.notes.length === 0) form.before(h('p', { class: 'help' }, 'No notes yet.'));
  } catch (error) {
    replaceChildren(body, h('p', { class: 'error', role: 'alert' }, errorText(error)));
  }
}
