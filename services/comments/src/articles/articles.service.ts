import type { CountsResponse } from '@parley/contracts';
import { notFound } from '@parley/platform';
import { publicCacheControl } from '../cache/send-page';
import type { ServiceContext } from '../context';
import { countComments } from './articles.repository';

export type ArticlesService = ReturnType<typeof articlesService>;

export function articlesService({ db, config }: ServiceContext) {
  return {
    /** Counts are the same for everyone: a CDN or browser may keep them as briefly as thread pages. */
    publicCacheControl: publicCacheControl(config.threadCache.publicCaching),

    /** Visible comment counts for a list of article keys (the widget's count badges). */
    async counts(site: string, keys: string[]): Promise<CountsResponse> {
      const { siteFound, counts } = await countComments(db, site, keys);
      if (!siteFound) throw notFound('site_not_found', `There is no site "${site}".`);
      // Articles nobody has commented on have no row yet; they count 0 all the same.
      return { counts: Object.fromEntries(keys.map((key) => [key, counts.get(key) ?? 0])) };
    },
  };
}
