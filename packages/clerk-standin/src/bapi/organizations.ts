/** Organizations in the stand-in's Backend API: read one (by id or slug) and merge its public metadata. */
import { mergeMetadata, type Organization } from '../accounts.ts';
import { sendJson } from '../http.ts';
import { organizationResource } from '../resources/index.ts';
import { notFound, type ApiCall, type ApiRoute } from './call.ts';

function backendOrganization(org: Organization) {
  return { ...organizationResource(org), private_metadata: {} };
}

/** A route for `/v1/organizations/:id…` (an id or a slug): 404 when there is no such organization. */
const forOrganization =
  (handle: (call: ApiCall, org: Organization) => void) =>
  (call: ApiCall, { id }: Record<string, string>) => {
    const found = [...call.instance.organizations.values()].find((o) => o.id === id || o.slug === id);
    if (!found) return notFound(call.res, 'Organization');
    handle(call, found);
  };

export const ORGANIZATION_ROUTES: ApiRoute[] = [
  {
    methods: ['GET'],
    path: '/v1/organizations/:id',
    handle: forOrganization(({ res }, org) => sendJson(res, 200, backendOrganization(org))),
  },
  {
    methods: ['PATCH'],
    path: '/v1/organizations/:id/metadata',
    handle: forOrganization(({ res, params }, org) => {
      // Mutated in place: memberships share this object, so the next token carries the change.
      org.publicMetadata = mergeMetadata(org.publicMetadata, params.public_metadata);
      sendJson(res, 200, backendOrganization(org));
    }),
  },
];
