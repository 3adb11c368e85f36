/** One Socket.IO room per article; site ids can't contain "/", so the name is unambiguous. */
export const articleRoom = (site: string, article: string) => `article:${site}/${article}`;
/** Every socket identified as a user is in that user's room (ban notices reach all their tabs). */
export const userRoom = (userId: string) => `user:${userId}`;
/** Admins and moderators of every site who asked for queue changes: they hear every site's. */
export const moderationRoom = 'moderation';
/** Moderators of some sites hear only those sites' queue changes. */
export const siteModerationRoom = (site: string) => `moderation:${site}`;

/** The moderation rooms a staff viewer's socket belongs in. */
export const moderationRoomsOf = (viewer: { role: string; sites: readonly string[] }): string[] =>
  viewer.role === 'admin' || viewer.sites.includes('*') ? [moderationRoom] : viewer.sites.map(siteModerationRoom);

/** Every moderation room a socket is in (to leave them all when its identity changes). */
export const joinedModerationRooms = (rooms: ReadonlySet<string>): string[] =>
  [...rooms].filter((room) => room === moderationRoom || room.startsWith('moderation:'));
