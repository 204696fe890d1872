/**
 * The Gatepost HTTP server: Fastify with
 * 1. hooks for every request, static files and rendered pages alike: forwarding headers dropped
 *    unless a trusted proxy sent them (./forwarded.ts), the method rules (./methods.ts), the security
 *    headers (src/security/headers.ts) and one log line per request; one onSend hook sets Cache-Control
 *    on everything Fastify sends from the cache class its route declares (`config.cacheClass`), through
 *    the one policy (`cacheControl`, src/security/headers.ts) that src/middleware.ts applies to pages;
 * 2. the files of dist/client (./static-files.ts), sent as their build-time `.br`/`.gz` when accepted;
 * 3. Astro's handler (@astrojs/node, mode 'middleware') through @fastify/middie for every request no
 *    file answers (its responses compressed by an Astro middleware, ./rendered-compression.ts); gated
 *    pages for readers without a session from memory (./anonymous-pages.ts).
 * The request path is drawn in docs/architecture.md ("Server").
 */
import fastifyMiddie, { type NextHandleFunction as Middleware } from '@fastify/middie';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CACHE, cacheControl, contentSecurityPolicy, securityHeaders, type CacheClass } from '../security/headers';
import type { ClerkInstance } from '../clerk/signed-out';
import type { MembersStore } from '../members/store';
import type { CardImages } from '../social/images';
import { anonymousPages } from './anonymous-pages';
import type { ServerConfig } from './config';
import { clientAddress, dropUntrustedForwarding, trustDecision } from './forwarded';
import { decideMethod, LARGEST_POST_BODY_BYTES } from './methods';
import { staticFiles } from './static-files';
import { loggedPath, slashRedirect } from '../site/paths';
import { unsubscribeRoute } from '../newsletters/unsubscribe-route';
import type { UnsubscribeKey } from '../newsletters/token';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's cache class; without one, the policy's rules for files apply. */
    cacheClass?: CacheClass;
  }
  interface FastifyRequest {
    /** Set for requests no route answers: what Astro renders (and ./anonymous-pages.ts sends) is private. */
    cacheClass: CacheClass | undefined;
  }
}

/** Astro's request handler in middleware mode (dist/server/entry.mjs `handler`). */
export type AstroHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
  locals?: object,
) => unknown;

export interface AppOptions {
  clientDir: string;
  astroHandler: AstroHandler;
  trustProxy: ServerConfig['trustProxy'];
  /** sha256 hashes of the inline scripts the build emitted (dist/server/csp-hashes.json). */
  scriptHashes: readonly string[];
  /** Log lines (JSON, one per request); off in tests that build an app in process. */
  logger?: boolean;
  /** The members' store this process opened; Astro's pages get it as `locals.members`. */
  members?: MembersStore;
  /** The key of newsletter unsubscribe links (src/newsletters/token.ts); null when newsletters are off. */
  unsubscribeKey?: UnsubscribeKey | null;
  /** This process's social card images (src/social/images.ts); the card endpoints get them as `locals.cards`. */
  cards?: CardImages;
}

export interface App {
  fastify: FastifyInstance;
  /**
   * What Astro reports at start-up (/readyz): the Clerk origins the Content-Security-Policy allows, and
   * which Clerk instance decides sessions (null: sign-in off; undefined: not reported, so no gated page
   * is kept for readers without a session).
   */
  setClerk: (clerk: { origins: readonly string[]; instance: ClerkInstance | null | undefined }) => void;
}

const pathOf = (url: string | undefined) => {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return query === -1 ? raw : raw.slice(0, query);
};

export async function createApp(options: AppOptions): Promise<App> {
  const loggerOptions: FastifyServerOptions['logger'] =
    options.logger === false
      ? false
      : {
          level: 'info',
          // Never the query string, cookies, other headers or a feed token, in any line Fastify writes.
          serializers: {
            req: (req: { method: string; url: string }) => ({ method: req.method, path: loggedPath(pathOf(req.url)) }),
            res: (res: { statusCode: number }) => ({ status: res.statusCode }),
          },
        };
  const trusts = trustDecision(options.trustProxy);
  const settings: FastifyServerOptions = {
    logger: loggerOptions,
    // Fastify's own request/response lines are replaced by the one line below.
    logController: new LogController({ disableRequestLogging: true }),
    // The one trust decision (./forwarded.ts); false keeps Fastify from reading forwarding headers at all.
    trustProxy: options.trustProxy === false ? false : trusts,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    bodyLimit: LARGEST_POST_BODY_BYTES,
  };
  const fastify = Fastify(settings);
  fastify.decorateRequest('cacheClass', undefined);

  let headers = buildSecurityHeaders([], options.scriptHashes);
  // Pages get this process's members' store and card images through locals: Astro's bundle never opens
  // its own. Astro uses the object it is given as the request's `locals` (the viewer, Clerk's auth, the
  // page's cache class go into it), so every request gets a new one.
  const shared = {
    ...(options.members ? { members: options.members } : {}),
    ...(options.cards ? { cards: options.cards } : {}),
  };
  const withShared = <T extends object>(locals: T) => Object.assign(locals, shared);
  const anonymous = anonymousPages({
    // A fill's locals object is read back after rendering: the store is added to it, not a copy.
    render: (req, res, locals) => options.astroHandler(req, res, () => res.writeHead(404).end(), withShared(locals)),
  });
  const setClerk: App['setClerk'] = ({ origins, instance }) => {
    headers = buildSecurityHeaders(origins, options.scriptHashes);
    anonymous.setClerkInstance(instance);
  };

  fastify.addHook('onRequest', (request, reply, done) => {
    // Before anything reads them: forwarding headers only from a proxy GATEPOST_TRUST_PROXY trusts.
    dropUntrustedForwarding(request.raw, trusts);
    const started = performance.now();
    const res = reply.raw;
    const path = pathOf(request.raw.url);
    if (options.logger !== false) {
      const line = (aborted: boolean) => {
        // How a gated page for a reader without a session was answered (./anonymous-pages.ts).
        const page = anonymous.outcome(request);
        request.log.info(
          {
            method: request.method,
            path: loggedPath(path),
            status: res.statusCode,
            ms: Math.round((performance.now() - started) * 10) / 10,
            ...(page ? { page } : {}),
            ...(aborted ? { aborted } : {}),
          },
          'request',
        );
      };
      let finished = false;
      res.once('finish', () => {
        finished = true;
        line(false);
      });
      res.once('close', () => {
        if (!finished) line(true);
      });
    }
    // Set on the raw response, so Astro's own writes keep them unless it chose a value itself.
    for (const [name, value] of request.protocol === 'https' ? headers.https : headers.http) res.setHeader(name, value);
    if (request.method === 'GET' || request.method === 'HEAD') return done();
    const decision = decideMethod({
      method: request.method,
      path,
      headers: request.headers,
      origin: `${request.protocol}://${request.host}`,
    });
    if (decision.ok) return done();
    reply.code(decision.status).header('allow', decision.allow).header('content-length', '0').send();
  });

  // The cache policy of everything Fastify sends (files, health, 405s, kept anonymous pages), from the
  // class the route or the Astro scope below declared. Astro writes its own responses: their header
  // comes from the same policy in src/middleware.ts.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const declared = request.cacheClass ?? request.routeOptions.config.cacheClass;
    reply.header('cache-control', cacheControl(declared, { path: pathOf(request.raw.url), status: reply.statusCode }));
    done(null, payload);
  });

  fastify.get('/healthz', { config: { cacheClass: 'error' } }, (_request, reply) => {
    reply.send({ status: 'ok' });
  });

  // One-click unsubscribe (RFC 8058), outside Astro: its form origin check would refuse mail providers.
  await fastify.register(unsubscribeRoute, { store: options.members, key: options.unsubscribeKey ?? null });

  // reply.sendFile, for the files not sent from memory and for the not-found handler below.
  await fastify.register(fastifyStatic, {
    root: options.clientDir,
    serve: false,
    preCompressed: true,
    cacheControl: false,
  });
  await fastify.register(staticFiles, { root: options.clientDir });

  await fastify.register(async (astro) => {
    // Everything rendered at run time depends on the request: private, whoever answers it (Astro, or
    // ./anonymous-pages.ts through Fastify). Astro's pages replace the raw header with the middleware's
    // answer from the same policy; this one stands for answers Astro's handler writes without it.
    astro.addHook('onRequest', (request, reply, done) => {
      request.cacheClass = 'private';
      reply.raw.setHeader('Cache-Control', CACHE.private);
      done();
    });
    // A server-rendered page's path without its trailing slash: one address per page (308, query kept).
    astro.addHook('onRequest', (request, reply, done) => {
      const raw = request.raw.url ?? '/';
      const to = request.method === 'GET' || request.method === 'HEAD' ? slashRedirect(pathOf(raw)) : null;
      if (!to) return done();
      reply
        .code(308)
        .header('location', `${to}${raw.slice(pathOf(raw).length)}`)
        .send();
    });
    // Gated pages for readers without a session, from memory when they may be (./anonymous-pages.ts).
    astro.addHook('onRequest', anonymous.onRequest);
    await astro.register(fastifyMiddie);
    // Astro renders on-demand routes (and calls next() for a path no route matches); its middleware
    // compresses what it renders (./rendered-compression.ts).
    // The client's address as the trusted proxies report it (private feeds count distinct readers by it).
    astro.use(((req, res, next) =>
      options.astroHandler(req, res, next, withShared({ clientAddress: clientAddress(req, trusts) }))) as Middleware);
    // No route: a page's directory without its trailing slash (`/about`) is redirected to that page (308,
    // query kept), so every page has one address; anything else gets Astro's prerendered 404 page.
    astro.setNotFoundHandler((request, reply) => {
      // Files, not rendered pages: the policy's rules for files.
      request.cacheClass = undefined;
      const path = pathOf(request.raw.url);
      if ((request.method === 'GET' || request.method === 'HEAD') && !path.endsWith('/')) {
        if (!path.startsWith('//') && fastify.hasStaticFile(`${path}/`)) {
          const raw = request.raw.url ?? path;
          return reply
            .code(308)
            .header('location', `${path}/${raw.slice(path.length)}`)
            .send();
        }
      }
      return reply.code(404).sendFile('404.html');
    });
  });

  return { fastify, setClerk };
}

function buildSecurityHeaders(clerkOrigins: readonly string[], scriptHashes: readonly string[]) {
  const csp = contentSecurityPolicy({ clerkOrigins, scriptHashes });
  return {
    http: Object.entries(securityHeaders(csp, false)),
    https: Object.entries(securityHeaders(csp, true)),
  };
}
