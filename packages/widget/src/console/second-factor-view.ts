import { h, replaceChildren } from '../widget/dom';
import { api, app, errorText, session } from './context';

/**
 * First staff sign-in: the password opened a participant session on Parley's own origin, which may
 * start and confirm an authenticator app (and nothing staff-like). Confirming with a code of the
 * app answers the recovery codes, shown this once, and a staff session, which replaces the
 * participant one. Someone with only the password cannot replace an app once it is confirmed (an
 * admin's reset is the way back), and a publisher's page cannot enrol at all.
 */
export async function showEnrolment(onStaff: () => void): Promise<void> {
  const error = h('p', { class: 'error', role: 'alert' });
  const panel = h('section', { class: 'stack login', 'aria-labelledby': 'enrol-title' }, h('h1', { id: 'enrol-title' }, 'Set up your authenticator app'), error);
  replaceChildren(app, panel);
  let enrolment;
  try {
    enrolment = await api.startTotp();
  } catch (failure) {
    error.textContent = errorText(failure);
    panel.append(h('button', { onclick: () => void session.logout().then(() => location.reload()) }, 'Back to sign-in'));
    return;
  }
  const code = h('input', { id: 'enrol-code', autocomplete: 'one-time-code', inputmode: 'numeric', required: true, pattern: '[0-9]{6}' });
  const form = h(
    'form',
    { class: 'stack' },
    h('p', {}, 'Staff powers need a second factor. Scan this code with an authenticator app (or type the secret into it), then enter the 6-digit code it shows.'),
    h('img', { src: enrolment.qrCode, alt: 'QR code of the authenticator secret', width: 200, height: 200 }),
    h('p', {}, 'Secret: ', h('code', { id: 'totp-secret' }, enrolment.secret)),
    h('label', { for: 'enrol-code' }, 'Code from the app', code),
    h('button', { type: 'submit', class: 'primary' }, 'Confirm'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      const confirmed = await api.confirmTotp(code.value.trim());
      if (confirmed.session) session.use(confirmed.session);
      showRecoveryCodes(confirmed.recoveryCodes, onStaff);
    } catch (failure) {
      error.textContent = errorText(failure);
    }
  });
  panel.append(form);
  code.focus();
}

function showRecoveryCodes(codes: string[], onStaff: () => void): void {
  const done = h('button', { class: 'primary', onclick: () => onStaff() }, 'I have saved them — continue');
  replaceChildren(
    app,
    h(
      'section',
      { class: 'stack login', 'aria-labelledby': 'recovery-title' },
      h('h1', { id: 'recovery-title' }, 'Your recovery codes'),
      h('p', {}, 'Each of these signs you in once in place of a code, if you lose your phone. They are shown only now: keep them somewhere safe.'),
      h('ul', { class: 'recovery-codes', 'aria-label': 'Recovery codes' }, ...codes.map((text) => h('li', {}, h('code', {}, text)))),
      done,
    ),
  );
  done.focus();
}
