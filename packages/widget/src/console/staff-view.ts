import type { Role, User } from '@parley/contracts';
import { isApiError } from '../http';
import { h, replaceChildren } from '../widget/dom';
import { api, errorText, loadSites, state } from './context';

/**
 * The Staff tab (admins): find an account by email, see its role and sites, and make it a
 * moderator of chosen sites, an admin, or a reader again, after a confirmation. The answer shown
 * is the server's: it alone knows, for one, that nobody changes their own role.
 */
export async function renderStaff(panel: HTMLElement, superseded: () => boolean): Promise<void> {
  await loadSites();
  if (superseded()) return;
  const email = h('input', { id: 'staff-email', type: 'email', size: 32, autocomplete: 'off', required: true, placeholder: 'name@newsroom.example' });
  const message = h('p', { class: 'error', role: 'alert' });
  const result = h('div', {});
  const findForm = h(
    'form',
    { class: 'inline', 'aria-label': 'Find a user' },
    h('label', { for: email.id }, 'Email', email),
    h('button', { type: 'submit', class: 'primary' }, 'Find'),
  );
  findForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    try {
      const { user } = await api.findUser(email.value.trim());
      replaceChildren(result, userCard(user));
    } catch (error) {
      replaceChildren(result);
      message.textContent = errorText(error);
    }
  });
  replaceChildren(
    panel,
    h('h2', {}, 'Staff'),
    h('p', { class: 'help' }, 'Moderators moderate the sites you give them; admins also set up sites and staff. A change ends the person\'s sessions: they sign in again with it.'),
    findForm,
    message,
    result,
  );
  email.focus();
}

const roleInWords = (user: Pick<User, 'role' | 'sites'>) =>
  user.role === 'moderator' ? `moderator of ${user.sites.includes('*') ? 'every site' : user.sites.join(', ')}` : user.role;

/** One account: who, what they are now, and the form that changes it. */
function userCard(user: User): HTMLElement {
  const card = h('section', { class: 'user-card', 'aria-label': `${user.displayName} (${user.email})` });
  const answer = h('p', { role: 'status' });
  const roleChoice = (role: Role, label: string) => {
    const input = h('input', { type: 'radio', name: 'staff-role', value: role, id: `staff-role-${role}` });
    input.checked = user.role === role;
    input.addEventListener('change', syncSites);
    return h('label', { for: input.id, class: 'check' }, input, h('span', {}, label));
  };
  const known = [...new Set([...state.sites.map((site) => site.id), ...user.sites.filter((site) => site !== '*')])].sort();
  const names = new Map(state.sites.map((site) => [site.id, site.name]));
  const siteBox = (id: string, label: string) => {
    const input = h('input', { type: 'checkbox', value: id, id: `staff-site-${id === '*' ? 'all' : id}` });
    input.checked = user.sites.includes(id);
    input.addEventListener('change', syncSites);
    return h('label', { for: input.id, class: 'check' }, input, h('span', {}, label));
  };
  const sites = h(
    'fieldset',
    { class: 'checks' },
    h('legend', {}, 'Moderates'),
    siteBox('*', 'Every site, also those added later'),
    ...known.map((id) => siteBox(id, names.has(id) ? `${names.get(id)} (${id})` : id)),
  );
  const sitesError = h('p', { class: 'error field-error' });
  const confirmBox = h('div', { class: 'confirm' });
  const change = h('button', { type: 'submit', class: 'primary' }, 'Change role…');
  const form = h(
    'form',
    { class: 'role-form', 'aria-label': `Role of ${user.displayName}` },
    h('fieldset', { class: 'checks' }, h('legend', {}, 'Role'), roleChoice('reader', 'Reader: no staff powers'), roleChoice('moderator', 'Moderator of the sites below'), roleChoice('admin', 'Admin: every site, sites and staff')),
    sites,
    sitesError,
    h('div', { class: 'actions' }, change),
    confirmBox,
  );

  const chosenRole = () => (form.querySelector<HTMLInputElement>('input[name=staff-role]:checked')?.value ?? user.role) as Role;
  const chosenSites = () => {
    const checked = [...sites.querySelectorAll<HTMLInputElement>('input:checked')].map((input) => input.value);
    return checked.includes('*') ? ['*'] : checked;
  };
  /** Sites matter only for a moderator; "every site" covers the others. */
  function syncSites(): void {
    const moderator = chosenRole() === 'moderator';
    sites.disabled = !moderator;
    const every = sites.querySelector<HTMLInputElement>('input[value="*"]')!.checked;
    for (const input of sites.querySelectorAll<HTMLInputElement>('input:not([value="*"])')) input.disabled = !moderator || every;
  }
  syncSites();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    sitesError.textContent = '';
    answer.textContent = '';
    answer.className = '';
    const role = chosenRole();
    const chosen = role === 'moderator' ? chosenSites() : undefined;
    if (chosen && chosen.length === 0) {
      sitesError.textContent = 'Choose at least one site, or every site.';
      return;
    }
    const next = roleInWords({ role, sites: chosen ?? [] });
    const yes = h('button', { type: 'button', class: 'danger', onclick: () => void apply(role, chosen) }, 'Yes, change the role');
    replaceChildren(
      confirmBox,
      h('p', {}, `Make ${user.displayName} ${role === 'moderator' ? next : `${role === 'admin' ? 'an' : 'a'} ${role}`}? Their sessions end now.`),
      yes,
      h('button', { type: 'button', onclick: () => (replaceChildren(confirmBox), change.focus()) }, 'Cancel'),
    );
    yes.focus();
  });

  async function apply(role: Role, chosen: string[] | undefined): Promise<void> {
    replaceChildren(confirmBox);
    try {
      const { user: changed } = await api.setRole(user.id, role, chosen);
      const text = `${changed.displayName} is now ${roleInWords(changed)}. They sign in again to use it.`;
      const fresh = userCard(changed);
      card.replaceWith(fresh);
      fresh.querySelector('[role=status]')!.textContent = text;
    } catch (error) {
      const issues = isApiError(error) ? error.fieldIssues : [];
      answer.textContent = issues.length > 0 ? issues.map((issue) => `${issue.field}: ${issue.message}`).join(' ') : errorText(error);
      answer.className = 'error';
      change.focus();
    }
  }

  // A staff member who lost their phone and recovery codes: remove the app, they enrol again at the next sign-in.
  const reset = h('button', { type: 'button' }, 'Reset second factor…');
  const resetBox = h('div', { class: 'confirm' });
  reset.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'danger', onclick: () => void resetFactor() }, 'Yes, reset it');
    replaceChildren(
      resetBox,
      h('p', {}, `Remove ${user.displayName}'s authenticator app and recovery codes? Their sessions end now, and they set up a new app at their next sign-in.`),
      yes,
      h('button', { type: 'button', onclick: () => (replaceChildren(resetBox), reset.focus()) }, 'Cancel'),
    );
    yes.focus();
  });
  async function resetFactor(): Promise<void> {
    replaceChildren(resetBox);
    try {
      await api.resetSecondFactor(user.id);
      answer.className = '';
      answer.textContent = `${user.displayName}'s second factor is reset; they set up a new authenticator app at their next sign-in.`;
    } catch (error) {
      answer.className = 'error';
      answer.textContent = errorText(error);
    }
  }

  replaceChildren(
    card,
    h('h3', {}, user.displayName, ' ', h('span', { class: 'help' }, user.email)),
    h('p', {}, 'Now: ', h('strong', { class: 'current-role' }, roleInWords(user))),
    form,
    ...(user.role === 'reader' ? [] : [h('div', { class: 'actions' }, reset), resetBox]),
    answer,
  );
  return card;
}
