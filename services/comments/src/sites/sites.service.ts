import type { AllowedOriginsResponse } from '@parley/contracts';
import type { ServiceContext } from '../context';
import { listAllowedOrigins } from './sites.repository';

export type SitesService = ReturnType<typeof sitesService>;

export function sitesService({ db }: ServiceContext) {
  return {
    /** The origins the gateway lets embed Parley: every site's allow-list together. */
    async allowedOrigins(): Promise<AllowedOriginsResponse> {
      return { origins: await listAllowedOrigins(db) };
    },
  };
}
