/**
 * The anonymous-pages store (src/server/anonymous-pages.ts) keeps nothing until the server knows which
 * Clerk instance decides sessions: a start-up answer without it must not make every reader "signed out".
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../../src/gate/viewer';
import { anonymousPages } from '../../src/server/anonymous-pages';
import { MEMBERS_PREFIX } from '../../src/site/paths';

async function server(instance: 'production' | null | undefined) {
  const fastify = Fastify();
  const anonymous = anonymousPages(fastify, { securityHeaderNames: [] });
  anonymous.setClerkInstance(instance);
  let renders = 0;
  fastify.addHook('onRequest', anonymous.onRequest);
  fastify.get(`${MEMBERS_PREFIX}:slug/`, (request, reply) => {
    renders += 1;
    // What Astro's middleware leaves for the store's own fill request: the anonymous viewer.
    const locals = anonymous.localsFor(request.raw);
    if (locals) locals.viewer = ANONYMOUS;
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
});
