/** Sessions and the signing keys in the stand-in's Backend API. */
import { sendJson } from '../http.ts';
import type { Session } from '../instance.ts';
import { sessionEnds } from '../resources/index.ts';
import { notFound, type ApiRoute } from './call.ts';

function backendSession(session: Session) {
  return {
    object: 'session',
    id: session.id,
    client_id: session.clientId,
    user_id: session.userId,
    status: session.status,
    last_active_organization_id: session.activeOrganizationId,
    last_active_at: session.lastActiveAt,
    ...sessionEnds(session),
    created_at: session.createdAt,
    updated_at: session.lastActiveAt,
  };
}

export const SESSION_ROUTES: ApiRoute[] = [
  {
    methods: ['GET'],
    path: '/v1/jwks',
    handle: ({ instance, res }) => sendJson(res, 200, { keys: [instance.keys.jwk] }),
  },
  {
    methods: ['GET'],
    path: '/v1/sessions/:id',
    handle: ({ instance, res }, { id }) => {
      const found = instance.sessions.get(id!);
      return found ? sendJson(res, 200, backendSession(found)) : notFound(res, 'Session');
    },
  },
];
