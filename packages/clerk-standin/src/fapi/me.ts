/** The signed-in reader in the stand-in's Frontend API: what <UserButton/> and <UserProfile/> read and change. */
import { stringParam } from '../http.ts';
import { membershipResource, sessionWithActivityResource, userResource } from '../resources/index.ts';
import type { Call, FapiRoute } from './call.ts';
import { asUser } from './call.ts';

/** A list the way clerk-js asked for it: plain, or paginated. */
const list = (call: Call, items: unknown[]) =>
  call.reply(
    200,
    call.url.searchParams.get('paginated') === 'true' ? { data: items, total_count: items.length } : items,
  );

export const ME_ROUTES: FapiRoute[] = [
  {
    methods: ['GET'],
    path: '/v1/me',
    handle: asUser((call, account) => call.reply(200, userResource(account))),
  },
  {
    methods: ['PATCH'],
    path: '/v1/me',
    handle: asUser((call, account) => {
      const first = stringParam(call.params, 'first_name');
      const last = stringParam(call.params, 'last_name');
      if (first !== undefined) account.firstName = first;
      if (last !== undefined) account.lastName = last;
      call.instance.touchAccount(account);
      call.reply(200, userResource(account));
    }),
  },
  {
    methods: ['GET'],
    path: '/v1/me/sessions/active',
    handle: asUser((call, _account, session) =>
      call.reply(200, [sessionWithActivityResource(call.instance.sessionData(session, call.origin))]),
    ),
  },
  {
    methods: ['GET'],
    path: '/v1/me/organization_memberships',
    handle: asUser((call, account) =>
      list(
        call,
        account.memberships.map((m) => membershipResource(m, account)),
      ),
    ),
  },
];
