/**
 * Users in the stand-in's Backend API: list (paginated, in creation order), count, read, update, merge
 * public metadata, delete, and list a user's organization memberships — what Clerk's SDK calls for
 * `users.*`, the members sync (`npm run members:sync`) among them.
 */
import type { Account } from '../accounts.ts';
import { isRecord, sendJson, stringParam } from '../http.ts';
import { membershipResource } from '../resources/index.ts';
import { backendUser } from '../webhooks/events.ts';
import { notFound, paginated, type ApiCall, type ApiRoute } from './call.ts';

export { backendUser };

/** A route for `/v1/users/:id…`: 404 when there is no such user. */
const forUser =
  (handle: (call: ApiCall, account: Account) => void) =>
  (call: ApiCall, { id }: Record<string, string>) => {
    const account = call.instance.accounts.get(id!);
    if (!account) return notFound(call.res, 'User');
    handle(call, account);
  };

/** The users `GET /v1/users` and `/v1/users/count` select (by email address or id, when asked). */
function selected(call: ApiCall): Account[] {
  const emails = call.url.searchParams.getAll('email_address').map((e) => e.toLowerCase());
  const ids = call.url.searchParams.getAll('user_id');
  const users = [...call.instance.accounts.values()].filter(
    (a) => (!emails.length || emails.includes(a.email.toLowerCase())) && (!ids.length || ids.includes(a.id)),
  );
  // Accounts are kept in the order they were created (a Map keeps insertion order). Clerk's default
  // order is newest first (`-created_at`); the sync asks for `+created_at`.
  return (call.url.searchParams.get('order_by') ?? '-created_at').startsWith('+') ? users : users.reverse();
}

export const USER_ROUTES: ApiRoute[] = [
  {
    methods: ['GET'],
    path: '/v1/users',
    handle: (call) => {
      const { limit, offset } = paginated(call.url);
      // Clerk answers this list as a bare array; the SDK asks `/v1/users/count` for the total.
      sendJson(
        call.res,
        200,
        selected(call)
          .slice(offset, offset + limit)
          .map(backendUser),
      );
    },
  },
  {
    methods: ['GET'],
    path: '/v1/users/count',
    handle: (call) => sendJson(call.res, 200, { object: 'total_count', total_count: selected(call).length }),
  },
  {
    methods: ['GET'],
    path: '/v1/users/:id',
    handle: forUser((call, account) => sendJson(call.res, 200, backendUser(account))),
  },
  {
    methods: ['PATCH'],
    path: '/v1/users/:id',
    handle: forUser(({ instance, res, params }, account) => {
      if (isRecord(params.public_metadata)) account.publicMetadata = params.public_metadata;
      const first = stringParam(params, 'first_name');
      const last = stringParam(params, 'last_name');
      if (first !== undefined) account.firstName = first;
      if (last !== undefined) account.lastName = last;
      instance.touchAccount(account);
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
  {
    methods: ['DELETE'],
    path: '/v1/users/:id',
    handle: forUser(({ instance, res }, account) => {
      instance.deleteAccount(account.id);
      sendJson(res, 200, { object: 'user', id: account.id, deleted: true });
    }),
  },
  {
    methods: ['GET'],
    path: '/v1/users/:id/organization_memberships',
    handle: forUser(({ res, url }, account) => {
      const { limit, offset } = paginated(url);
      const rows = account.memberships.map((m) => membershipResource(m, account));
      sendJson(res, 200, { data: rows.slice(offset, offset + limit), total_count: rows.length });
    }),
  },
];
