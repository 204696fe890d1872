/**
 * Organizations in the stand-in's Backend API: list them and every membership (paginated, as the members
 * sync reads them), read one (by id or slug), and merge its public metadata.
 */
import { mergeMetadata, type Organization } from '../accounts.ts';
import { sendJson } from '../http.ts';
import { membershipResource } from '../resources/index.ts';
import { backendOrganization, organizationEvent } from '../webhooks/events.ts';
import { notFound, paginated, type ApiCall, type ApiRoute } from './call.ts';

/** A route for `/v1/organizations/:id…` (an id or a slug): 404 when there is no such organization. */
const forOrganization =
  (handle: (call: ApiCall, org: Organization) => void) =>
  (call: ApiCall, { id }: Record<string, string>) => {
    const found = [...call.instance.organizations.values()].find((o) => o.id === id || o.slug === id);
    if (!found) return notFound(call.res, 'Organization');
    handle(call, found);
  };

/** `{data, total_count}`, Clerk's shape for every paginated list but users. */
function page<T>(call: ApiCall, rows: T[]) {
  const { limit, offset } = paginated(call.url);
  sendJson(call.res, 200, { data: rows.slice(offset, offset + limit), total_count: rows.length });
}

export const ORGANIZATION_ROUTES: ApiRoute[] = [
  {
    methods: ['GET'],
    path: '/v1/organizations',
    handle: (call) => page(call, [...call.instance.organizations.values()].map(backendOrganization)),
  },
  {
    methods: ['GET'],
    path: '/v1/organization_memberships',
    handle: (call) =>
      page(
        call,
        [...call.instance.accounts.values()].flatMap((account) =>
          account.memberships.map((m) => membershipResource(m, account)),
        ),
      ),
  },
  {
    methods: ['GET'],
    path: '/v1/organizations/:id',
    handle: forOrganization(({ res }, org) => sendJson(res, 200, backendOrganization(org))),
  },
  {
    methods: ['PATCH'],
    path: '/v1/organizations/:id/metadata',
    handle: forOrganization(({ instance, res, params }, org) => {
      // Mutated in place: memberships share this object, so the next token carries the change.
      org.publicMetadata = mergeMetadata(org.publicMetadata, params.public_metadata);
      org.updatedAt = Math.max(Date.now(), (org.updatedAt ?? org.createdAt) + 1);
      instance.emit(organizationEvent('organization.updated', org));
      sendJson(res, 200, backendOrganization(org));
    }),
  },
];
