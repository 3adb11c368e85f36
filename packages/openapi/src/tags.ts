/** The document's sections, in the order it lists them. */
export type Tag = 'Auth' | 'Users' | 'Sites' | 'Threads' | 'Comments' | 'Reactions' | 'Reports' | 'Moderation' | 'Live' | 'Widget' | 'Health' | 'Docs';

export const tags: Record<Tag, string> = {
  Auth: 'Accounts and sessions (auth service): register, log in, rotate refresh tokens, and the public keys tokens are verified with.',
  Users: 'Account administration (auth service, admins only).',
  Sites: 'Site administration (comments service): admins add and set up sites; moderators read the sites they moderate.',
  Threads: 'Public reads of a discussion (comments service). A bearer token is optional; with one, comments say whether the viewer reacted.',
  Comments: 'Posting, editing and deleting comments (comments service, logged-in readers).',
  Reactions: 'Reacting to comments (comments service, logged-in readers).',
  Reports: 'Reporting comments to moderators (comments service, logged-in readers).',
  Moderation: 'The moderators\' API (comments service, moderators and admins): queue, decisions, bans, article state, word lists, log.',
  Live: 'The Socket.IO live stream. Its events are described in the `x-live-events` extension of this document.',
  Widget: 'Static files the gateway serves itself: the publisher loader, the widget bundle and the moderator console.',
  Health: 'Liveness and readiness of the gateway (it checks both upstream services).',
  Docs: 'This document, as JSON and as a browsable page.',
};

/** Who answers a route: the gateway itself, or the upstream service the gateway proxies it to. */
export type Service = 'gateway' | 'auth' | 'comments';
