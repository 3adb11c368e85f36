/** One Socket.IO room per article; site ids can't contain "/", so the name is unambiguous. */
export const articleRoom = (site: string, article: string) => `article:${site}/${article}`;
/** Every socket identified as a user is in that user's room (ban notices reach all their tabs). */
export const userRoom = (userId: string) => `user:${userId}`;
/** Moderators and admins who asked for queue changes. */
export const moderationRoom = 'moderation';
