import type { Role, Scope } from './auth';
import type { ErrorCode } from './errors';

/**
 * Who may do what: the one definition, asked by REST routes (the `allow` of a route declaration),
 * by the live server (the moderation room), by services for rules that need the subject (only the
 * author edits their comment), and by the console and widget to decide what to show.
 */

/** Someone identified by a valid access token. */
export interface Viewer {
  id: string;
  name: string;
  role: Role;
  /** What the session may do: a staff role has staff powers only in a `staff` session. */
  scope: Scope;
  /** The session (refresh-token family) the access token came from. */
  sessionId: string;
  /** A moderator's sites (`*`: every site); empty for everyone else (admins are global). */
  sites: readonly string[];
  /** Who vouches for the account (`parley`, or `sso:<site>` for a publisher's reader); `parley` when unsaid. */
  provider?: string;
  /** A publisher's badge for the reader ("Subscriber"), shown beside their name. */
  badge?: string;
  /** Whether Parley confirmed the login email (the token's `email_verified`); unsaid: not confirmed. */
  emailVerified?: boolean;
}

/** The roles that hold staff powers (moderation); admins also administer. */
export const staffRoles = ['moderator', 'admin'] as const satisfies readonly Role[];
export type StaffRole = (typeof staffRoles)[number];

/** What an action asks of the viewer, weakest first. */
type Requirement = 'participant' | 'author' | 'not-author' | 'staff' | 'admin';

const requirements = {
  'comment.post': 'participant',
  /** Seeing one's Markdown as it would be published (nothing is stored). */
  'comment.preview': 'participant',
  'comment.react': 'participant',
  'comment.edit': 'author',
  'comment.delete': 'author',
  'comment.report': 'not-author',
  /** Following a discussion: digests of its new comments by mail. */
  'article.follow': 'participant',
  'account.read': 'participant',
  /** Deleting one's own account and what it wrote (auth's account, comments' comments). */
  'account.delete': 'participant',
  /** Changing one's own display name or password (and renaming one's comments after it). */
  'account.update': 'participant',
  /** Enrolling one's own authenticator app (the service also asks for a staff role and Parley's origin). */
  'account.secondFactor': 'participant',
  'moderation.queue': 'staff',
  'moderation.decide': 'staff',
  'moderation.ban': 'staff',
  'moderation.article': 'staff',
  'moderation.log': 'staff',
  'moderation.wordLists.read': 'staff',
  'moderation.wordLists.write': 'admin',
  'sites.read': 'staff',
  'sites.manage': 'admin',
  /** Importing another system's export into a site from the console (the command line needs the machine instead). */
  'sites.import': 'admin',
  'users.find': 'admin',
  'users.setRole': 'admin',
  /** Removing another staff member's second factor (lost phone and recovery codes). */
  'users.resetSecondFactor': 'admin',
  /** A site's publisher sign-on: its SSO keys and OpenID Connect provider. */
  'sites.sso.manage': 'admin',
} as const satisfies Record<string, Requirement>;

export type Action = keyof typeof requirements;
export const actions = Object.keys(requirements) as Action[];

/** What an action is about, where the rule depends on it. */
export interface Subject {
  /** The author of the comment acted on. */
  authorId?: string;
  /** The role of the account acted on (a ban). */
  targetRole?: Role;
  /** The site the action is on: a moderator acts only on the sites they moderate. */
  siteId?: string;
}

/** Whether a staff viewer's powers reach `siteId`: admins everywhere, moderators on their sites. */
export const moderatesSite = (viewer: Pick<Viewer, 'role' | 'sites'>, siteId: string): boolean =>
  viewer.role === 'admin' || (viewer.role === 'moderator' && (viewer.sites.includes('*') || viewer.sites.includes(siteId)));

export const isStaff = (role: Role | undefined): role is StaffRole => role === 'moderator' || role === 'admin';

/**
 * Whether `viewer` may do `action` (on `subject`, where the rule depends on one). Without a subject,
 * an author rule answers whether this kind of viewer could do it at all (a route's check before the
 * comment is loaded); the service asks again with the subject.
 */
export function can(viewer: Viewer | undefined, action: Action, subject: Subject = {}): boolean {
  if (!viewer) return false;
  // Staff cannot ban an admin: an admin's powers are taken away by another admin changing the role.
  if (action === 'moderation.ban' && subject.targetRole === 'admin') return false;
  switch (requirements[action] as Requirement) {
    case 'participant':
      return true;
    case 'author':
      return subject.authorId === undefined || subject.authorId === viewer.id;
    case 'not-author':
      return subject.authorId === undefined || subject.authorId !== viewer.id;
    case 'staff':
      return isStaff(viewer.role) && viewer.scope === 'staff' && (subject.siteId === undefined || moderatesSite(viewer, subject.siteId));
    case 'admin':
      return viewer.role === 'admin' && viewer.scope === 'staff';
  }
}

/**
 * Whether a role may do `action` at all, in a staff session: what Parley's own pages (the console)
 * and the API document ask, where the subject does not matter.
 */
export const roleCan = (role: Role, action: Action): boolean => can({ id: '', name: '', role, scope: 'staff', sessionId: '', sites: ['*'] }, action);

/** Whether the viewer holds a staff role but the session is not a staff session (a widget login). */
const staffOutsideConsole = (viewer: Viewer, action: Action) => {
  const requirement = requirements[action] as Requirement;
  const roleFits = requirement === 'admin' ? viewer.role === 'admin' : isStaff(viewer.role);
  return (requirement === 'staff' || requirement === 'admin') && roleFits && viewer.scope !== 'staff';
};

const refusals: Record<Requirement, string> = {
  participant: 'Log in to do this.',
  author: 'Only the author may do this.',
  'not-author': 'You cannot do this to your own comment.',
  staff: 'This needs a moderator or admin account.',
  admin: 'This needs an admin account.',
};

const actionRefusals: Partial<Record<Action, string>> = {
  'comment.edit': 'Only the author can edit a comment.',
  'comment.delete': 'Only the author can delete a comment.',
  'comment.report': 'You cannot report your own comment.',
  'moderation.ban': 'An admin cannot be banned; another admin can change their role first.',
};

/** The code and sentence of a refusal of `action` to a signed-in viewer: what is missing. */
export function refusal(viewer: Viewer, action: Action): { code: Extract<ErrorCode, 'forbidden' | 'staff_session_required'>; message: string } {
  if (staffOutsideConsole(viewer, action)) {
    return {
      code: 'staff_session_required',
      message: 'Staff powers need a staff session: sign in to the moderator console on Parley\'s own site. A login on a publisher\'s page is a reader\'s session.',
    };
  }
  return { code: 'forbidden', message: actionRefusals[action] ?? refusals[requirements[action] as Requirement] };
}

/** The refusal when a moderator acts on a site they do not moderate. */
export function siteRefusal(siteId: string): string {
  return `You do not moderate the site "${siteId}"; an admin can add it to your sites.`;
}
