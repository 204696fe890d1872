/**
 * The instance and the browser's client in the stand-in's Frontend API: the instance settings
 * (`/v1/environment`), the client clerk-js loads on start, and the server's handshake redirect.
 */
import { environmentResource, clientResource } from '../resources/index.ts';
import type { FapiRoute, Handler } from './call.ts';
import { clientUatCookies, sessionCookies } from './call.ts';

/** The server's handshake (expired token or stale `__client_uat` on a page load). */
const handshake: Handler = (call) => {
  const { instance, url, origin, setCookies, res } = call;
  const target = url.searchParams.get('redirect_url') ?? '/';
  let redirect: URL;
  try {
    redirect = new URL(target, origin);
  } catch {
    return call.fail(400, 'form_param_format_invalid', 'redirect_url is invalid', undefined, 'redirect_url');
  }
  // Only back to the site that asked: a handshake must never become an open redirect.
  if (redirect.origin !== origin) {
    return call.fail(400, 'form_param_format_invalid', 'redirect_url must be on this site', undefined, 'redirect_url');
  }
  instance.stats.handshakes += 1;
  const session = call.currentSession();
  const token = session ? instance.mintToken(session, origin) : '';
  setCookies.push(...sessionCookies(instance, token), ...clientUatCookies(instance, call.client));
  call.ctx.log(`handshake (${url.searchParams.get('__clerk_hs_reason') ?? 'no reason'}) → ${redirect.pathname}`);
  res.writeHead(307, { location: redirect.href, 'cache-control': 'no-store', 'set-cookie': setCookies });
  res.end();
};

export const CLIENT_ROUTES: FapiRoute[] = [
  {
    methods: ['GET'],
    path: '/v1/environment',
    handle: (call) =>
      call.send(
        200,
        environmentResource({ origin: call.origin, organizations: true, signUpMode: 'public', billing: true }),
      ),
  },
  {
    methods: ['GET', 'POST', 'PUT'],
    path: '/v1/client',
    handle: (call) => call.reply(200, clientResource(call.instance.clientData(call.ensureClient(), call.origin))),
  },
  { methods: ['GET'], path: '/v1/client/handshake', handle: handshake },
];
