import type { Request } from 'express';
import type { Scope } from '@parley/contracts';

/**
 * The scope a session obtained or refreshed by this request may carry (ADR 0006). A browser always
 * sends `Origin` on these POSTs and a page cannot forge it: a page on Parley's own origin (the
 * console; the gateway keeps the `Host` it was called with) may hold a staff session, any other
 * page — a publisher's article with its ads and tags — only a participant one. A client with no
 * `Origin` is not a web page (the CLI, a server); ADR 0006 says why that is allowed a staff session.
 * The place is necessary, not sufficient: a login there opens a staff session only with a code of
 * the account's authenticator app as well as the password (accounts.service.ts, second-factor/).
 */
export function sessionScopeOf(req: Request, firstPartyOrigins: ReadonlySet<string>): Scope {
  const origin = req.get('origin');
  if (origin === undefined) return 'staff';
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    // `Origin: null` (sandboxed frames, file pages) and garbage are nobody's first party.
    return 'participant';
  }
  if (firstPartyOrigins.has(url.origin)) return 'staff';
  return url.host === req.get('host') ? 'staff' : 'participant';
}
