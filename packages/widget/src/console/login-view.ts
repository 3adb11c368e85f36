import { isStaff } from '@parley/contracts/policy';
import { h, replaceChildren } from '../widget/dom';
import { app, errorText, session } from './context';

/** The login form; only staff get past it (`onStaff`), anyone else is logged out again. */
export function showLogin(message: string, onStaff: () => void): void {
  const error = h('p', { class: 'error', role: 'alert' }, message);
  const email = h('input', { id: 'email', type: 'email', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h(
    'form',
    { class: 'stack login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Parley moderation'),
    h('label', { for: 'email' }, 'Email', email),
    h('label', { for: 'password' }, 'Password', password),
    error,
    h('button', { type: 'submit', class: 'primary' }, 'Log in'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      const user = await session.login(email.value, password.value);
      if (!isStaff(user?.role)) {
        await session.logout();
        error.textContent = 'This account is not a moderator.';
        return;
      }
      onStaff();
    } catch (failure) {
      error.textContent = errorText(failure);
    }
  });
  replaceChildren(app, form);
  email.focus();
}
