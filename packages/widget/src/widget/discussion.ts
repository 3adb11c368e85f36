import type { Api } from '../api';
import type { I18n } from '../i18n';
import type { Session } from '../session';
import type { ThreadStore } from '../thread-store';
import type { Skeleton } from './skeleton';

/** What every part of one connected `<parley-comments>` works with; made afresh on each connect. */
export interface Discussion {
  readonly root: ShadowRoot;
  readonly i18n: I18n;
  readonly api: Api;
  readonly session: Session;
  readonly store: ThreadStore;
  readonly ui: Skeleton;
  readonly site: string;
  readonly articleKey: string;
  /** Replying, editing and the compose box: the article is open and the reader is not banned on the site. */
  writable(): boolean;
  /** Whether the site still lets its author edit this comment (the window the viewer route gave). */
  editable(createdAt: string): boolean;
  /** The reader is banned on the site (reports are refused too). */
  banned(): boolean;
  /** Tells screen readers a sentence through the polite live region. */
  say(message: string): void;
}
