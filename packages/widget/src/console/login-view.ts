import { isStaff } from '@parley/contracts/policy';
import { h, replaceChildren } from '../widget/dom';
import { app, errorText, session } from './context';
import { showEnrolment } from './second-factor-view';

/**
 * The login form; only staff in a staff session get past it (`onStaff`). A staff session needs the
 * password and a code of the account's authenticator app (or a recovery code); a staff account
 * without an app yet is taken through enrolment (second-factor-view.ts). Anyone else is logged
 * out again.
 */
export function showLogin(message: string, onStaff: () => void): void {
  const error = h('p', { class: 'error', role: 'alert' }, message);
  const email = h('input', { id: 'email', type: 'email', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const code = h('input', { id: 'code', autocomplete: 'one-time-code', inputmode: 'numeric', spellcheck: 'false' });
  const form = h(
    'form',
    { class: 'stack login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Parley moderation'),
    h('label', { for: 'email' }, 'Email', email),
    h('label', { for: 'password' }, 'Password', password),
    h('label', { for: 'code' }, 'Authenticator code', code),
    h('p', { class: 'help' }, 'The 6-digit code of your authenticator app, or one of your recovery codes. First sign-in? Leave it empty to set the app up.'),
    error,
    h('button', { type: 'submit', class: 'primary' }, 'Log in'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      const user = await session.login(email.value, password.value, code.value.trim() || undefined);
      if (!isStaff(user?.role)) {
        await session.logout();
        error.textContent = 'This account is not a moderator.';
        return;
      }
      if (session.scope === 'staff') return onStaff();
      if (session.secondFactor === 'enrol') return showEnrolment(onStaff);
      // A participant session is of no use here: end it, and ask for the code.
      await session.logout();
      error.textContent = 'Enter the code of your authenticator app (or a recovery code) to sign in.';
      code.focus();
    } catch (failure) {
      code.value = '';
      error.textContent = errorText(failure);
    }
  });
  replaceChildren(app, form);
  email.focus();
}
