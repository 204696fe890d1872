/**
 * POST /unsubscribe/<token>/ in the Gatepost server (a Fastify plugin registered by src/server/app.ts),
 * outside Astro: RFC 8058 one-click POSTs come from mail providers without cookies or a page origin,
 * which Astro's form origin check refuses for every page. This route is declared `origin: 'any'` in
 * src/server/methods.ts (the only browser-facing exemption); the token's MAC authenticates it.
 *
 * - one-click (`List-Unsubscribe=One-Click`, or any body without `action`): 200, unsubscribed;
 * - the confirmation page's buttons (`action=unsubscribe|resubscribe`): 303 back to that page (GET,
 *   src/pages/unsubscribe/[token].astro), which shows the new state;
 * - a token that fails its MAC: 400, nothing changed; the store down: 503.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { MembersStore } from '../members/store';
import { isStoreUnavailable } from '../members/store';
import { unsubscribePath } from '../site/paths';
import type { UnsubscribeKey } from './token';
import { handleUnsubscribe } from './unsubscribe';

export interface UnsubscribeRouteOptions {
  store: MembersStore | undefined;
  key: UnsubscribeKey | null;
}

/** The answer depends on the token, so it is private (the server's cache policy applies the class). */
const ROUTE = { config: { cacheClass: 'private' as const } };
const PAGE_HEADERS = { 'referrer-policy': 'same-origin' };

export const unsubscribeRoute: FastifyPluginAsync<UnsubscribeRouteOptions> = async (fastify, options) => {
  // Bodies are a few bytes; what is not a url-encoded form (multipart, anything) means "unsubscribe".
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 1024 },
    (_req, body, done) => done(null, new URLSearchParams(body as string)),
  );
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 1024 }, (_req, _body, done) => done(null, null));

  const handler = async (request: { params: unknown; body: unknown }, reply: import('fastify').FastifyReply) => {
    const { token } = request.params as { token: string };
    reply.headers(PAGE_HEADERS).type('text/plain; charset=utf-8');
    if (!options.key) return reply.code(404).send('Newsletters are not configured on this server.');
    if (!options.store) return reply.code(503).header('retry-after', '30').send('Try again in a minute.');
    const action = request.body instanceof URLSearchParams ? request.body.get('action') : null;
    try {
      const outcome = await handleUnsubscribe({
        store: options.store,
        key: options.key,
        token,
        method: 'POST',
        action,
        now: Date.now(),
      });
      if (outcome.kind === 'invalid')
        return reply.code(400).send('This unsubscribe link is not valid; nothing was changed.');
      if (outcome.kind === 'unknown-newsletter') return reply.code(404).send('This newsletter no longer exists.');
      if (action === 'unsubscribe' || action === 'resubscribe')
        return reply.code(303).header('location', unsubscribePath(token)).send();
      return reply.code(200).send(`Unsubscribed from ${outcome.newsletter.name}.`);
    } catch (error) {
      if (isStoreUnavailable(error)) return reply.code(503).header('retry-after', '30').send('Try again in a minute.');
      throw error;
    }
  };
  fastify.post('/unsubscribe/:token', ROUTE, handler);
  fastify.post('/unsubscribe/:token/', ROUTE, handler);
};
