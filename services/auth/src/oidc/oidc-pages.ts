import type { Response } from 'express';
import type { AppError } from '@parley/platform';
import type { CallbackOutcome } from './oidc.service';

/**
 * The pages a reader sees in the login popup (or, in redirect mode, on the way back). No inline
 * script: the one script is /auth/oidc/popup.js, the data it needs sits in a JSON block. The
 * opener must survive the trip to Parley's origin and back (Cross-Origin-Opener-Policy), and the
 * callback's URL (with the provider's code) goes to nobody (Referrer-Policy).
 */
const pageHeaders = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Cross-Origin-Opener-Policy': 'unsafe-none',
  'Referrer-Policy': 'no-referrer',
};

/** Headers of the start route's redirect: the popup must keep its opener through it. */
export const startHeaders = { 'Cache-Control': 'no-store', 'Cross-Origin-Opener-Policy': 'unsafe-none', 'Referrer-Policy': 'no-referrer' };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside <script type="application/json">: `<` escaped so no `</script>` can end the block. */
const jsonBlock = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

function page(res: Response, status: number, title: string, message: string, data?: unknown): void {
  res.status(status).set(pageHeaders);
  res.send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}code{background:#f2f2f2;padding:0 .25rem}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${message}</p>${data === undefined ? '' : `<script type="application/json" id="parley-oidc">${jsonBlock(data)}</script><script src="/auth/oidc/popup.js"></script>`}</body></html>`);
}

/** A refused start or an unusable callback (no login to send anything back to): a page that says what happened. */
export function errorPage(res: Response, error: AppError): void {
  page(res, error.status, 'Login failed', `${escapeHtml(error.message)} <br><small>Code: <code>${escapeHtml(error.code)}</code></small>`);
}

/**
 * The end of a login. Popup: the page posts the code (or the error) to the opener, to the
 * publisher's origin only, and closes; without an opener it goes back to the article itself.
 * Redirect: straight back to the article, the code in the fragment (never sent to a server, and
 * good once, for two minutes).
 */
export function callbackPage(res: Response, outcome: CallbackOutcome): void {
  const fragment = outcome.code ? `parley-oidc=${encodeURIComponent(outcome.code)}` : `parley-oidc-error=${encodeURIComponent(outcome.error?.code ?? 'oidc_provider_error')}`;
  if (outcome.mode === 'redirect' && outcome.returnUrl) {
    res.status(303).set(startHeaders).set('Location', `${outcome.returnUrl.split('#')[0]}#${fragment}`).end();
    return;
  }
  const data = {
    site: outcome.site,
    origin: outcome.origin,
    ...(outcome.code ? { code: outcome.code } : { error: outcome.error?.code ?? 'oidc_provider_error' }),
    ...(outcome.returnUrl ? { returnUrl: `${outcome.returnUrl.split('#')[0]}#${fragment}` } : {}),
  };
  if (outcome.error) {
    page(res, outcome.error.status, 'Login failed', `${escapeHtml(outcome.error.message)} <br><small>Code: <code>${escapeHtml(outcome.error.code)}</code></small>`, data);
  } else {
    page(res, 200, 'Logged in', 'You are logged in. You can close this window and return to the article.', data);
  }
}

/** The callback page's script (served from Parley's origin, so the page's CSP allows it and nothing inline). */
export const popupScript = `(function () {
  var block = document.getElementById('parley-oidc');
  if (!block) return;
  var data = JSON.parse(block.textContent || '{}');
  var message = { type: 'parley:oidc', site: data.site };
  if (data.code) message.code = data.code;
  if (data.error) message.error = data.error;
  var opener = window.opener;
  if (opener && !opener.closed) {
    // Only a page on the origin the login began on receives it.
    opener.postMessage(message, data.origin);
    window.close();
    return;
  }
  if (data.returnUrl) window.location.replace(data.returnUrl);
})();
`;
