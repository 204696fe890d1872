/**
 * Sessions in the stand-in's Frontend API: fresh session tokens (clerk-js refreshes `__session` before
 * it expires), touch (which also switches the active organization), and signing out.
 */
import { stringParam } from '../http.ts';
import { clientResource, sessionResource } from '../resources/index.ts';
import type { FapiRoute, Handler } from './call.ts';
import { forSession } from './call.ts';

const signOutAll =
  (log: string): Handler =>
  (call) => {
    const c = call.ensureClient();
    call.instance.endSessions(c, call.instance.activeSessions(c));
    call.ctx.log(log);
    return call.reply(200, clientResource(call.instance.clientData(c, call.origin)));
  };

export const SESSION_ROUTES: FapiRoute[] = [
  {
    methods: ['POST'],
    path: '/v1/client/sessions/:id/tokens',
    handle: forSession((call, session, account) => {
      // clerk-js names the organization it wants the token for; only one the user belongs to counts.
      const asked = stringParam(call.params, 'organization_id');
      const organizationId =
        asked === undefined ? session.activeOrganizationId : call.instance.membershipOf(account, asked) ? asked : null;
      call.send(200, { object: 'token', jwt: call.instance.mintToken(session, call.origin, organizationId) });
    }),
  },
  {
    methods: ['POST'],
    path: '/v1/client/sessions/:id/tokens/:template',
    handle: forSession((call) =>
      call.fail(404, 'resource_not_found', 'JWT templates are not available in the local stand-in.'),
    ),
  },
  {
    methods: ['POST'],
    path: '/v1/client/sessions/:id/touch',
    handle: forSession((call, session, account) => {
      const asked = stringParam(call.params, 'active_organization_id');
      if (asked !== undefined) {
        session.activeOrganizationId = call.instance.membershipOf(account, asked) ? asked : null;
      }
      session.lastToken = null;
      call.reply(200, sessionResource(call.instance.sessionData(session, call.origin)));
    }),
  },
  ...(['end', 'remove'] as const).map((action): FapiRoute => ({
    methods: ['POST'],
    path: `/v1/client/sessions/:id/${action}`,
    handle: forSession((call, session, account) => {
      const c = call.ensureClient();
      const ended = { ...call.instance.sessionData(session, call.origin) };
      call.instance.endSessions(c, [session], action === 'end' ? 'ended' : 'removed');
      call.ctx.log(`signed out: ${account.email}`);
      call.reply(200, sessionResource({ ...ended, status: session.status }));
    }),
  })),
  { methods: ['DELETE'], path: '/v1/client/sessions', handle: signOutAll('signed out (all sessions)') },
  { methods: ['DELETE'], path: '/v1/client', handle: signOutAll('signed out (client destroyed)') },
];
