import { EraseMyCommentsRequest, EraseMyCommentsResponse, MyCommentsPage, MyCommentsQuery, MyDataResponse } from '@parley/contracts';
import { route } from '../services';

const noStore = { 'Cache-Control': 'no-store' };

export const accountRoutes = [
  route({
    method: 'get',
    path: '/api/me/comments',
    operationId: 'myComments',
    summary: 'My comments, newest first',
    description:
      'The reader\'s own comments on one site (`site`) or every site, keyset-paginated by `cursor`: each with its article, the start of its text, and its state — waiting for a moderator (`pending`), removed by one (with the reason given, which its author may see) or deleted. A tombstone\'s text is not shown.',
    tag: 'Comments',
    auth: 'required',
    allow: 'account.read',
    query: MyCommentsQuery,
    parameterDescriptions: { site: 'Only comments on this site (all sites when absent).', cursor: 'The `nextCursor` of the previous page.' },
    headers: noStore,
    response: { status: 200, schema: MyCommentsPage, description: 'One page of the reader\'s comments.' },
    errors: { 404: ['site_not_found'] },
    handler: ({ viewer, query }, { account }) => account.myComments(viewer, query),
  }),
  route({
    method: 'get',
    path: '/api/me/data',
    operationId: 'myData',
    summary: 'Download my comments, reactions and reports',
    description: 'With `GET /auth/me` (the profile), everything Parley holds about the reader; the widget joins them into one JSON file.',
    tag: 'Comments',
    auth: 'required',
    allow: 'account.read',
    headers: noStore,
    response: { status: 200, schema: MyDataResponse, description: 'Every comment the reader wrote (on every site), their reactions and reports.' },
    handler: ({ viewer }, { account }) => account.myData(viewer),
  }),
  route({
    method: 'post',
    path: '/api/me/name',
    operationId: 'renameMyComments',
    summary: 'Sign my earlier comments with my current name',
    description:
      'After `PATCH /auth/me` and a refresh, the access token carries the new display name; this signs every comment the reader wrote (on every site) with it. Live readers get `comment:updated`; cached pages follow. Asking again changes nothing.',
    tag: 'Comments',
    auth: 'required',
    allow: 'account.update',
    rateLimit: { limiter: 'post', per: 'viewer' },
    headers: noStore,
    response: { status: 200, schema: EraseMyCommentsResponse, description: 'How many comments changed.' },
    handler: ({ viewer }, { account }) => account.renameMyComments(viewer),
  }),
  route({
    method: 'post',
    path: '/api/me/erase',
    operationId: 'eraseMyComments',
    summary: 'Erase my comments before deleting my account',
    description: '`anonymize`: the comments stay, signed "Deleted account". `remove`: tombstones with their text erased (replies keep their place). Reactions are removed either way. Then `DELETE /auth/me` deletes the account.',
    tag: 'Comments',
    auth: 'required',
    allow: 'account.delete',
    rateLimit: { limiter: 'post', per: 'viewer' },
    body: EraseMyCommentsRequest,
    headers: noStore,
    response: { status: 200, schema: EraseMyCommentsResponse, description: 'How many comments changed.' },
    handler: ({ viewer, body }, { account }) => account.erase(viewer, body),
  }),
];
