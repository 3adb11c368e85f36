import type { Role } from './auth';

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
}

/** The roles that hold staff powers (moderation); admins also administer. */
export const staffRoles = ['moderator', 'admin'] as const satisfies readonly Role[];
export type StaffRole = (typeof staffRoles)[number];

/** What an action asks of the viewer, weakest first. */
type Requirement = 'participant' | 'author' | 'not-author' | 'staff' | 'admin';

const requirements = {
  'comment.post': 'participant',
  'comment.react': 'participant',
  'comment.edit': 'author',
  'comment.delete': 'author',
  'comment.report': 'not-author',
  'account.read': 'participant',
  'moderation.queue': 'staff',
  'moderation.decide': 'staff',
  'moderation.ban': 'staff',
  'moderation.article': 'staff',
  'moderation.log': 'staff',
  'moderation.wordLists.read': 'staff',
  'moderation.wordLists.write': 'admin',
  'users.find': 'admin',
  'users.setRole': 'admin',
} as const satisfies Record<string, Requirement>;

export type Action = keyof typeof requirements;
export const actions = Object.keys(requirements) as Action[];

/** What an action is about, where the rule depends on it. */
export interface Subject {
  /** The author of the comment acted on. */
  authorId?: string;
}

export const isStaff = (role: Role | undefined): role is StaffRole => role === 'moderator' || role === 'admin';

/**
 * Whether `viewer` may do `action` (on `subject`, where the rule depends on one). Without a subject,
 * an author rule answers whether this kind of viewer could do it at all (a route's check before the
 * comment is loaded); the service asks again with the subject.
 */
export function can(viewer: Viewer | undefined, action: Action, subject: Subject = {}): boolean {
  if (!viewer) return false;
  switch (requirements[action] as Requirement) {
    case 'participant':
      return true;
    case 'author':
      return subject.authorId === undefined || subject.authorId === viewer.id;
    case 'not-author':
      return subject.authorId === undefined || subject.authorId !== viewer.id;
    case 'staff':
      return isStaff(viewer.role);
    case 'admin':
      return viewer.role === 'admin';
  }
}

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
};

/** The sentence a refusal of `action` says: what is missing. */
export function refusal(action: Action): string {
  return actionRefusals[action] ?? refusals[requirements[action] as Requirement];
}
