/**
 * The anonymous-pages store (src/server/anonymous-pages.ts) keeps nothing until the server knows which
 * Clerk instance decides sessions: a start-up answer without it must not make every reader "signed out";
 * and it keeps only what the page declared cacheable for such readers (`locals.cacheableForAnonymous`).
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../../src/gate/viewer';
import { anonymousPages } from '../../src/server/anonymous-pages';
import { MEMBERS_PREFIX } from '../../src/site/paths';

async function server(instance: 'production' | null | undefined, cacheable = true) {
  const fastify = Fastify();
  let renders = 0;
  const anonymous = anonymousPages({
    // The store's own fill: what Astro's middleware and the page leave in locals for a reader without a session.
    render: (_req, res, locals) => {
      renders += 1;
      locals.viewer = ANONYMOUS;
      locals.cacheableForAnonymous = cacheable;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end('<p>preview and paywall</p>');
    },
  });
  anonymous.setClerkInstance(instance);
  fastify.addHook('onRequest', anonymous.onRequest);
  fastify.get(`${MEMBERS_PREFIX}:slug/`, (_request, reply) => {
    renders += 1;
    return reply.type('text/html; charset=utf-8').send('<p>preview and paywall</p>');
  });
  await fastify.ready();
  const get = async () => (await fastify.inject({ method: 'GET', url: `${MEMBERS_PREFIX}a/` })).body;
  return { get, renders: () => renders };
}

describe('anonymous pages and what the server knows about Clerk', () => {
  it('keeps a page once the instance is known, sign-in off included', async () => {
    const s = await server(null);
    for (let i = 0; i < 3; i++) expect(await s.get()).toContain('preview and paywall');
    expect(s.renders()).toBe(1);
  });

  it('keeps nothing while the instance is unknown: every request renders', async () => {
    const s = await server(undefined);
    for (let i = 0; i < 3; i++) expect(await s.get()).toContain('preview and paywall');
    expect(s.renders()).toBe(3);
  });

  it('keeps nothing the page did not declare the same for every reader without a session', async () => {
    const s = await server(null, false);
    for (let i = 0; i < 3; i++) expect(await s.get()).toContain('preview and paywall');
    // Each request: the store's fill, refused, then rendered directly while refused.
    expect(s.renders()).toBe(4);
  });
});
