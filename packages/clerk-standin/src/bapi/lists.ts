/**
 * The instance-wide lists Gatepost's members sync pages through (src/members/sync.ts): the users' count,
 * organizations and organization memberships, in Clerk's paginated shape `{ data, total_count }`. With them the demo's
 * sync fills the members' store, so demo sign-ups get newsletters (the stand-in sends no webhooks).
 */
import { sendJson } from '../http.ts';
import { membershipResource, organizationResource } from '../resources/index.ts';
import type { ApiRoute } from './call.ts';

const page = <T>(items: T[], url: URL) => {
  const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 10) || 10, 1), 500);
  const offset = Math.max(Number(url.searchParams.get('offset') ?? 0) || 0, 0);
  return { data: items.slice(offset, offset + limit), total_count: items.length };
};

export const LIST_ROUTES: ApiRoute[] = [
  {
    // The SDK's users.getUserList() asks for the count beside the page.
    methods: ['GET'],
    path: '/v1/users/count',
    handle: ({ instance, res }) => sendJson(res, 200, { object: 'total_count', total_count: instance.accounts.size }),
  },
  {
    methods: ['GET'],
    path: '/v1/organizations',
    handle: ({ instance, res, url }) =>
      sendJson(
        res,
        200,
        page(
          [...instance.organizations.values()].map((org) => ({ ...organizationResource(org), private_metadata: {} })),
          url,
        ),
      ),
  },
  {
    methods: ['GET'],
    path: '/v1/organization_memberships',
    handle: ({ instance, res, url }) =>
      sendJson(
        res,
        200,
        page(
          [...instance.accounts.values()].flatMap((account) =>
            (account.memberships ?? []).map((membership) => membershipResource(membership, account)),
          ),
          url,
        ),
      ),
  },
];
