import type { AdminSite, CreateSsoKeyRequest, SsoKey } from '@parley/contracts';
import { h, replaceChildren, uid } from '../widget/dom';
import { api, errorText } from './context';

/**
 * A site's sign-on (SSO) keys, for admins: list, add (a Parley-made HS256 secret, shown here once,
 * or the publisher's JWKS URL) and remove, with a confirmation, since tokens signed with a removed
 * key are refused from then on. docs/publishers.md says how a publisher uses them.
 */
export function siteKeysPanel(site: AdminSite, onClose: () => void): HTMLElement {
  const status = h('p', { role: 'status', class: 'help' });
  const list = h('ul', { class: 'plain key-list' });
  const secretBox = h('div', { class: 'secret-once' });
  const kindId = uid('key-kind');
  const kidId = uid('key-kid');
  const urlId = uid('key-url');
  const kind = h('select', { id: kindId, name: 'kind' }, h('option', { value: 'secret' }, 'A secret Parley generates (HS256)'), h('option', { value: 'jwks' }, 'Our public keys at a JWKS URL (RS256/ES256)'));
  const kid = h('input', { id: kidId, name: 'kid', autocomplete: 'off', placeholder: 'e.g. gazette-2026 (empty: Parley picks one)' });
  const url = h('input', { id: urlId, name: 'jwksUrl', type: 'url', autocomplete: 'off', placeholder: 'https://news.example.com/.well-known/jwks.json' });
  const urlField = h('div', { class: 'field', hidden: true }, h('label', { for: urlId }, 'JWKS URL'), url);
  kind.addEventListener('change', () => (urlField.hidden = kind.value !== 'jwks'));

  async function load(): Promise<void> {
    try {
      draw((await api.ssoKeys(site.id)).keys);
    } catch (error) {
      status.textContent = errorText(error);
    }
  }

  function draw(keys: SsoKey[]): void {
    replaceChildren(list, ...(keys.length > 0 ? keys.map(keyRow) : [h('li', { class: 'empty' }, 'No sign-on keys: readers can sign in only with Parley accounts.')]));
  }

  function keyRow(key: SsoKey): HTMLElement {
    const row = h('li', { 'data-kid': key.kid });
    const remove = h('button', { class: 'danger', type: 'button', onclick: () => confirmRemoval() }, 'Remove', h('span', { class: 'sr' }, ` key ${key.kid}`), '…');
    const describe = () => [h('code', {}, key.kid), ' ', key.kind === 'secret' ? 'secret (HS256)' : `JWKS ${key.jwksUrl ?? ''}`, h('span', { class: 'help' }, ` · added ${new Date(key.createdAt).toLocaleString()}`), ' '];
    replaceChildren(row, ...describe(), remove);

    function confirmRemoval(): void {
      const yes = h('button', { class: 'danger', type: 'button', onclick: () => void removeKey() }, `Remove ${key.kid}`);
      const no = h('button', { type: 'button', onclick: () => (replaceChildren(row, ...describe(), remove), remove.focus()) }, 'Keep it');
      replaceChildren(row, ...describe(), h('span', { class: 'confirm' }, 'Tokens signed with this key will be refused from now on. ', yes, ' ', no));
      no.focus();
    }

    async function removeKey(): Promise<void> {
      try {
        await api.removeSsoKey(site.id, key.kid);
        await load();
        status.textContent = `Removed ${key.kid}.`;
      } catch (error) {
        status.textContent = errorText(error);
      }
    }
    return row;
  }

  async function add(event: Event): Promise<void> {
    event.preventDefault();
    status.textContent = '';
    replaceChildren(secretBox);
    const chosenKid = kid.value.trim() || undefined;
    const request: CreateSsoKeyRequest =
      kind.value === 'jwks' ? { kind: 'jwks', jwksUrl: url.value.trim(), ...(chosenKid ? { kid: chosenKid } : {}) } : { kind: 'secret', ...(chosenKid ? { kid: chosenKid } : {}) };
    try {
      const created = await api.createSsoKey(site.id, request);
      kid.value = '';
      url.value = '';
      // Listed before the secret is shown, so what the admin reads is all there at once.
      await load();
      status.textContent = `Added ${created.key.kid}.`;
      if (created.secret) {
        const secret = h('input', { readonly: true, value: created.secret, 'aria-label': `Secret of ${created.key.kid}`, class: 'secret' });
        replaceChildren(
          secretBox,
          h('p', {}, h('strong', {}, 'Copy this secret now: '), 'it is shown this once and cannot be shown again. Store it in your server\'s secrets; your server signs tokens with it, kid ', h('code', {}, created.key.kid), '.'),
          secret,
        );
        secret.select();
      }
    } catch (error) {
      status.textContent = errorText(error);
    }
  }

  const form = h(
    'form',
    { class: 'key-form', onsubmit: (event: Event) => void add(event) },
    h('div', { class: 'field' }, h('label', { for: kindId }, 'New key'), kind),
    h('div', { class: 'field' }, h('label', { for: kidId }, 'Key id (kid)'), kid),
    urlField,
    h('button', { class: 'primary', type: 'submit' }, 'Add key'),
  );
  void load();
  return h(
    'section',
    { class: 'site-keys', 'aria-label': `Sign-on keys of ${site.name}` },
    h('div', { class: 'panel-head' }, h('h3', {}, `Sign-on keys of ${site.name}`), h('button', { type: 'button', onclick: onClose }, 'Close')),
    h('p', { class: 'help' }, 'Your server signs a short token for its logged-in reader with one of these keys; the widget exchanges it for a Parley session. Rotate without downtime: add the new key, switch your server, remove the old one.'),
    status,
    secretBox,
    list,
    form,
  );
}
