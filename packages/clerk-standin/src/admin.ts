/**
 * The stand-in's admin API, on the API port beside the Backend API, for demos and tests. No
 * credentials (loopback only), and JSON bodies only so a web page cannot post to it cross-site:
 *
 * - GET  /__admin/accounts                 the accounts, with their demo passwords
 * - POST /__admin/users                    {email, password?, firstName?, lastName?, publicMetadata?, tokenLifetime?}
 * - POST /__admin/users/:id/metadata       {"public_metadata": {...}} merged as BAPI does
 * - GET  /__admin/stats                    tokens minted, handshakes, sign-ins and sign-outs
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Account } from './accounts.ts';
import { notFound, type ApiRoute } from './bapi/call.ts';
import { backendUser } from './bapi/users.ts';
import { HttpError, isRecord, readParams, sendJson, stringParam } from './http.ts';
import type { Instance } from './instance.ts';
import { clerkErrorBody } from './resources/index.ts';
import { routeTable } from './routes.ts';

export const ADMIN_ROUTES: readonly ApiRoute[] = [
  {
    methods: ['GET'],
    path: '/__admin',
    handle: ({ instance, res }) => sendJson(res, 200, instance.accountList()),
  },
  {
    methods: ['GET'],
    path: '/__admin/accounts',
    handle: ({ instance, res }) => sendJson(res, 200, instance.accountList()),
  },
  { methods: ['GET'], path: '/__admin/stats', handle: ({ instance, res }) => sendJson(res, 200, instance.stats) },
  {
    methods: ['POST'],
    path: '/__admin/users',
    handle: ({ instance, res, params: body }) => {
      const email = stringParam(body, 'email');
      if (!email || !email.includes('@')) throw new HttpError(400, 'email is required');
      const lifetime = body.tokenLifetime;
      if (lifetime !== undefined && (typeof lifetime !== 'number' || lifetime < 2 || lifetime > 3600)) {
        throw new HttpError(400, 'tokenLifetime must be a number of seconds between 2 and 3600');
      }
      let account: Account;
      try {
        account = instance.createAccount({
          email,
          password: stringParam(body, 'password'),
          firstName: stringParam(body, 'firstName'),
          lastName: stringParam(body, 'lastName'),
          publicMetadata: isRecord(body.publicMetadata) ? body.publicMetadata : undefined,
          tokenLifetime: lifetime as number | undefined,
        });
      } catch (error) {
        throw new HttpError(409, (error as Error).message);
      }
      sendJson(res, 201, backendUser(account));
    },
  },
  {
    methods: ['POST'],
    path: '/__admin/users/:id/metadata',
    handle: ({ instance, res, params: body }, { id }) => {
      if (!isRecord(body.public_metadata)) throw new HttpError(400, 'expected {"public_metadata": {...}}');
      const account = instance.updateMetadata(id!, body.public_metadata);
      return account ? sendJson(res, 200, backendUser(account)) : notFound(res, 'User');
    },
  },
];
const routes = routeTable(ADMIN_ROUTES);

export async function handleAdmin(instance: Instance, req: IncomingMessage, res: ServerResponse, url: URL) {
  const path = url.pathname;
  const method = (req.method ?? 'GET').toUpperCase();
  if (method !== 'GET') {
    if (method !== 'POST') return sendJson(res, 405, clerkErrorBody('method_not_allowed', 'Use GET or POST'));
    // Only JSON: a form post from some web page the demo user visits cannot reach these.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      throw new HttpError(415, 'admin endpoints take application/json');
    }
  }
  const found = routes.match(method, path);
  if (!found) return notFound(res, 'Admin endpoint');
  const params = method === 'POST' ? await readParams(req) : {};
  return found.route.handle({ instance, res, url, params }, found.params);
}
