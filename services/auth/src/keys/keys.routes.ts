import { JwksResponse } from '@parley/contracts';
import { route } from '../services';

/**
 * The public keys other services verify access tokens with. Cached briefly: verifiers refetch on
 * an unknown key id anyway, so a rotated key is picked up within minutes.
 */
export const keysRoutes = [
  route({
    method: 'get',
    path: '/auth/.well-known/jwks.json',
    operationId: 'jwks',
    summary: 'Public keys access tokens are signed with (JWKS)',
    description: 'ES256 keys. Cached for five minutes; verifiers refetch on an unknown key id.',
    tag: 'Auth',
    auth: 'none',
    headers: { 'Cache-Control': 'public, max-age=300' },
    response: { status: 200, schema: JwksResponse, description: 'The JSON Web Key Set.' },
    handler: (_context, { keys }): JwksResponse => ({ keys }),
  }),
];
