/** Users in the stand-in's Backend API: list, read, update, and merge public metadata. */
import type { Account } from '../accounts.ts';
import { isRecord, sendJson, stringParam } from '../http.ts';
import { userResource } from '../resources/index.ts';
import { notFound, type ApiCall, type ApiRoute } from './call.ts';

/** A user as the Backend API returns it (the FAPI shape plus server-only fields). */
export function backendUser(account: Account) {
  return {
    ...userResource(account),
    private_metadata: {},
    last_active_at: account.updatedAt,
    create_organizations_limit: null,
  };
}

/** A route for `/v1/users/:id…`: 404 when there is no such user. */
const forUser =
  (handle: (call: ApiCall, account: Account) => void) =>
  (call: ApiCall, { id }: Record<string, string>) => {
    const account = call.instance.accounts.get(id!);
    if (!account) return notFound(call.res, 'User');
    handle(call, account);
  };

export const USER_ROUTES: ApiRoute[] = [
  {
    methods: ['GET'],
    path: '/v1/users',
    handle: ({ instance, res, url }) => {
      const emails = url.searchParams.getAll('email_address').map((e) => e.toLowerCase());
      const ids = url.searchParams.getAll('user_id');
      const limit = Number(url.searchParams.get('limit') ?? 10);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const users = [...instance.accounts.values()].filter(
        (a) => (!emails.length || emails.includes(a.email.toLowerCase())) && (!ids.length || ids.includes(a.id)),
      );
      sendJson(res, 200, users.slice(offset, offset + limit).map(backendUser));
    },
  },
  {
    methods: ['GET'],
    path: '/v1/users/:id',
    handle: forUser((call, account) => sendJson(call.res, 200, backendUser(account))),
  },
  {
    methods: ['PATCH'],
    path: '/v1/users/:id',
    handle: forUser(({ res, params }, account) => {
      if (isRecord(params.public_metadata)) account.publicMetadata = params.public_metadata;
      const first = stringParam(params, 'first_name');
      const last = stringParam(params, 'last_name');
      if (first !== undefined) account.firstName = first;
      if (last !== undefined) account.lastName = last;
      account.updatedAt = Date.now();
      sendJson(res, 200, backendUser(account));
    }),
  },
  {
    methods: ['PATCH'],
    path: '/v1/users/:id/metadata',
    handle: forUser(({ instance, res, params }, account) => {
      instance.updateMetadata(account.id, params.public_metadata);
      sendJson(res, 200, backendUser(account));
    }),
  },
];
