/** One Socket.IO room per article; site ids can't contain "/", so the name is unambiguous. */
export const articleRoom = (site: string, article: string) => `article:${site}/${article}`;
