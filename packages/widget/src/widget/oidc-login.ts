import type { OidcLoginMessage, OidcLoginOption, User } from '@parley/contracts';
import { ApiError } from '../http';
import type { Session } from '../session';

/**
 * "Log in with <the site's provider>" (OpenID Connect, docs/adr/0013): the site's label, asked
 * once per page; the popup that signs the reader in at the provider; and the single-use code it
 * posts back (or, without a popup, the code in the fragment after a full-page round trip),
 * traded for a session.
 */
const options = new Map<string, Promise<{ label: string } | null>>();

/** The site's login option, or null when it has no provider (or it cannot be asked now). */
export function oidcLoginOption(baseUrl: string, site: string): Promise<{ label: string } | null> {
  const key = `${baseUrl}\n${site}`;
  let option = options.get(key);
  if (!option) {
    option = fetch(endpoint(baseUrl, `auth/oidc/sites/${encodeURIComponent(site)}`))
      .then(async (response) => (response.ok ? ((await response.json()) as OidcLoginOption) : null))
      .then((answer) => (answer?.label ? { label: answer.label } : null))
      .catch(() => null);
    options.set(key, option);
  }
  return option;
}

const endpoint = (baseUrl: string, path: string) => new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
const fragmentCode = /(?:^#|&)parley-oidc=([^&]+)/;
const fragmentError = /(?:^#|&)parley-oidc-error=([^&]+)/;

/** Opens the provider in a popup and resolves once the reader is signed in (or rejects with the reason). */
export function loginWithProvider(baseUrl: string, site: string, session: Session): Promise<User> {
  const start = endpoint(baseUrl, `auth/oidc/sites/${encodeURIComponent(site)}/start`);
  start.searchParams.set('origin', location.origin);
  start.searchParams.set('return', location.href.split('#')[0]!);
  const popup = window.open(start.href, 'parley-oidc', 'popup,width=520,height=680');
  if (!popup) {
    // Popups blocked: the whole page goes to the provider and comes back (finishRedirectLogin).
    start.searchParams.set('mode', 'redirect');
    location.assign(start.href);
    return new Promise<User>(() => undefined);
  }
  const parley = endpoint(baseUrl, '').origin;
  return new Promise<User>((resolve, reject) => {
    const done = () => {
      window.removeEventListener('message', onMessage);
      clearInterval(watch);
    };
    const onMessage = (event: MessageEvent) => {
      // Only Parley's callback page, in the popup this call opened, for this site.
      if (event.origin !== parley || event.source !== popup) return;
      const data = event.data as Partial<OidcLoginMessage> | null;
      if (!data || data.type !== 'parley:oidc' || data.site !== site) return;
      done();
      if (typeof data.code === 'string') session.completeProviderLogin(data.code).then(resolve, reject);
      else reject(new ApiError(401, (data.error as ApiError['code']) ?? 'oidc_provider_error', 'The login at the identity provider did not complete.'));
    };
    window.addEventListener('message', onMessage);
    // Closed by the reader before finishing: stop listening, nothing happened. Seen closed twice,
    // so a message posted just before the popup closed itself is read first.
    let closedOnce = false;
    const watch = setInterval(() => {
      if (popup.closed && closedOnce) {
        done();
        reject(new ApiError(401, 'oidc_provider_error', 'The login window was closed.'));
      }
      closedOnce = popup.closed;
    }, 500);
  });
}

/** Back from a full-page login: takes the code off the address and trades it; null when there is none. */
export function finishRedirectLogin(session: Session): Promise<User> | null {
  const code = fragmentCode.exec(location.hash)?.[1];
  const error = fragmentError.exec(location.hash)?.[1];
  if (!code && !error) return null;
  history.replaceState(history.state, '', location.href.split('#')[0]);
  if (error) return Promise.reject(new ApiError(401, decodeURIComponent(error) as ApiError['code'], 'The login at the identity provider did not complete.'));
  return session.completeProviderLogin(decodeURIComponent(code!));
}
