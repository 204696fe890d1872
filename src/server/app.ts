/**
 * The Gatepost HTTP server: Fastify with
 * 1. hooks for every request, static files and rendered pages alike: forwarding headers dropped
 *    unless a trusted proxy sent them (./forwarded.ts), the method rules (./methods.ts), the security
 *    headers and cache classes (src/security/headers.ts) and one log line per request;
 * 2. the files of dist/client (./static-files.ts), sent as their build-time `.br`/`.gz` when accepted;
 * 3. Astro's handler (@astrojs/node, mode 'middleware') through @fastify/middie for every request no
 *    file answers, its responses compressed in one piece (./rendered-compression.ts); gated pages for
 *    readers without a session from memory (./anonymous-pages.ts).
 * The request path is drawn in docs/architecture.md ("Server").
 */
import fastifyMiddie, { type NextHandleFunction as Middleware } from '@fastify/middie';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CACHE, cachePolicy, contentSecurityPolicy, securityHeaders } from '../security/headers';
import type { ClerkInstance } from '../clerk/signed-out';
import type { MembersStore } from '../members/store';
import { anonymousPages } from './anonymous-pages';
import { RENDERED_LEVELS } from './compression';
import type { ServerConfig } from './config';
import { dropUntrustedForwarding, trustDecision } from './forwarded';
import { decideMethod, LARGEST_POST_BODY_BYTES } from './methods';
import { renderedCompression } from './rendered-compression';
import { staticFiles } from './static-files';

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
          // Never the query string, cookies or other headers, in any line Fastify writes.
          serializers: {
            req: (req: { method: string; url: string }) => ({ method: req.method, path: pathOf(req.url) }),
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

  let headers = buildSecurityHeaders([], options.scriptHashes);
  const anonymous = anonymousPages(fastify, {
    securityHeaderNames: [...headers.https, ...headers.http].map(([name]) => name),
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
            path,
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

  // Cache classes for everything Fastify sends itself (files, health, 405s). Responses Astro writes get
  // theirs from the middleware, or private, no-store (the Astro scope below).
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const current = reply.getHeader('cache-control');
    reply.header(
      'cache-control',
      cachePolicy(pathOf(request.raw.url), reply.statusCode, typeof current === 'string' ? current : undefined),
    );
    done(null, payload);
  });

  fastify.get('/healthz', (_request, reply) => {
    reply.header('cache-control', CACHE.error).send({ status: 'ok' });
  });

  // reply.sendFile, for the files not sent from memory and for the not-found handler below.
  await fastify.register(fastifyStatic, {
    root: options.clientDir,
    serve: false,
    preCompressed: true,
    cacheControl: false,
  });
  await fastify.register(staticFiles, { root: options.clientDir });

  await fastify.register(async (astro) => {
    // Everything rendered at run time depends on the request unless the page says otherwise.
    astro.addHook('onRequest', (_request, reply, done) => {
      reply.raw.setHeader('Cache-Control', CACHE.private);
      done();
    });
    // Gated pages for readers without a session, from memory when they may be (./anonymous-pages.ts).
    astro.addHook('onRequest', anonymous.onRequest);
    await astro.register(fastifyMiddie);
    // Renders on-demand routes (calls next() for a path no route matches), compressed in one piece.
    // Pages get this process's members' store through locals: Astro's bundle never opens its own.
    const members = options.members ? { members: options.members } : undefined;
    astro.use(
      renderedCompression(RENDERED_LEVELS, (req, res, next) => {
        // A fill's locals object is read back after rendering (./anonymous-pages.ts): add to it, not a copy.
        const fill = anonymous.localsFor(req);
        if (fill && members) Object.assign(fill, members);
        return options.astroHandler(req, res, next, fill ?? members);
      }) as Middleware,
    );
    // No route: a page's directory without its trailing slash (`/about`) is that page, as Astro's
    // `trailingSlash: 'ignore'` has it; anything else gets Astro's prerendered 404 page.
    astro.setNotFoundHandler((request, reply) => {
      // Files, not rendered pages: their cache class comes from the onSend hook.
      reply.raw.removeHeader('cache-control');
      const path = pathOf(request.raw.url);
      if ((request.method === 'GET' || request.method === 'HEAD') && !path.endsWith('/')) {
        if (fastify.hasRoute({ method: 'GET', url: `${path}/` })) return reply.sendFile(`${path}/index.html`);
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
