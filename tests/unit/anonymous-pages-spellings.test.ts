/**
 * The anonymous-pages store (src/server/anonymous-pages.ts) keeps and serves a gated page only under its
 * canonical path: another spelling of the same article is redirected there and never fills or takes
 * memory, and a name no article has costs one render, as it would without the store (issue 19, point 2).
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../../src/gate/viewer';
import { anonymousPages, canonicalGatedPath } from '../../src/server/anonymous-pages';

describe('canonicalGatedPath', () => {
  it.each([
    ['/members/heron-ferry-lanterns/', '/members/heron-ferry-lanterns/'],
    ['/members/heron-ferry-lanterns', '/members/heron-ferry-lanterns/'],
    ['/members/%68eron-ferry-lanterns/', '/members/heron-ferry-lanterns/'],
    ['/members/heron%2Dferry%2dlanterns/', '/members/heron-ferry-lanterns/'],
    // A unicode slug as browsers send it (upper-case hex) is canonical; lower-case hex is another spelling.
    ['/members/%D8%B3%D9%84%D8%A7%D9%85/', '/members/%D8%B3%D9%84%D8%A7%D9%85/'],
    ['/members/%d8%b3%d9%84%d8%a7%d9%85/', '/members/%D8%B3%D9%84%D8%A7%D9%85/'],
  ])('%s → %s', (path, canonical) => {
    expect(canonicalGatedPath(path)).toBe(canonical);
  });

  it.each(['/members/', '/members/a/b/', '/members/a%2Fb/', '/members/%ZZ/', '/articles/a/', '//members/a/'])(
    '%s is no gated page',
    (path) => {
      expect(canonicalGatedPath(path)).toBeNull();
    },
  );
});

async function server() {
  const fastify = Fastify();
  const renders: string[] = [];
  const page = (slug: string) =>
    slug === 'a'
      ? { status: 200, body: `<p>preview and paywall</p>${' '.repeat(2000)}` }
      : { status: 404, body: '<p>no such article</p>' };
  const anonymous = anonymousPages({
    // The store's own fill, as Astro renders it for a reader without a session.
    render: (req, res, locals) => {
      const slug = /^\/members\/([^/]+)\/$/.exec(req.url ?? '')![1]!;
      renders.push(slug);
      locals.viewer = ANONYMOUS;
      const { status, body } = page(slug);
      locals.cacheableForAnonymous = status === 200;
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body);
    },
  });
  anonymous.setClerkInstance(null);
  fastify.addHook('onRequest', anonymous.onRequest);
  fastify.get('/members/:slug/', (request, reply) => {
    const { slug } = request.params as { slug: string };
    renders.push(slug);
    const { status, body } = page(slug);
    return reply.code(status).type('text/html; charset=utf-8').send(body);
  });
  await fastify.ready();
  const get = (url: string) => fastify.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } });
  return { get, renders };
}

describe('the store and the spellings of a path', () => {
  it('redirects every other spelling to the canonical path, query kept, without rendering or keeping it', async () => {
    const s = await server();
    for (const path of ['/members/%61/', '/members/a', '/members/%61']) {
      const response = await s.get(`${path}?utm_source=news`);
      expect(response.statusCode, path).toBe(301);
      expect(response.headers.location, path).toBe('/members/a/?utm_source=news');
    }
    expect(s.renders).toEqual([]);
    // The canonical path renders once, then comes from memory, compressed.
    for (let i = 0; i < 3; i++) {
      const response = await s.get('/members/a/');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-encoding']).toBe('br');
    }
    expect(s.renders).toEqual(['a']);
  });

  it('answers a name no article has with its one render, and renders it directly while refused', async () => {
    const s = await server();
    for (let i = 0; i < 50; i++) {
      const response = await s.get(`/members/missing-${i}/`);
      expect(response.statusCode).toBe(404);
      expect(response.body).toContain('no such article');
    }
    // One render per name: the store's own, whose answer this request got.
    expect(s.renders).toHaveLength(50);
    expect((await s.get('/members/missing-0/')).statusCode).toBe(404);
    expect(s.renders).toHaveLength(51);
  });
});
