/**
 * Gated articles for readers without a session, rendered once per article per process.
 *
 * A reader whose request carries no Clerk session state (src/clerk/signed-out.ts) is signed out by
 * Clerk's own rules, and every such reader of a gated article gets the same preview and paywall. So the
 * first one's request renders the page through the full path (Clerk, the one access decision, Astro),
 * as a request with no cookies and no query would: the server's own render function is called with a
 * request made in memory (light-my-request, as Fastify's `inject` makes them) and a fresh `locals`
 * object, read back when it ends. The response is kept, with its brotli and gzip forms, and sent to the
 * next such readers without rendering.
 *
 * What is kept, and when it is used:
 * - only `GET /members/<slug>/` with no query but `utm_*` and the ad-click ids below, which no page
 *   reads; a gift link, the upgrade-return marker or anything else the page may read always takes the
 *   full path and never fills this;
 * - only under the article's canonical path, the one spelling browsers send (`canonicalGatedPath`):
 *   Astro decodes percent-encoding, so `/members/%68eron/` is the same article, and one slug has more
 *   spellings than memory. A request this would answer that spells the path any other way (encoded
 *   letters, lower-case hex, no trailing slash) is redirected there (301, query kept): it renders
 *   nothing, keeps nothing, and the reader lands on the one URL that is kept;
 * - only a 200 response rendered for the anonymous viewer (whose session check did not fail), with no
 *   Set-Cookie, from a page that declared it the same for every such reader
 *   (`locals.cacheableForAnonymous`, set by src/pages/members/[slug].astro only when it rendered no
 *   member-only text): member-only text cannot enter it;
 * - at most MEMORY_BUDGET_BYTES (least recently sent dropped first), each for at most TTL_MS; the
 *   process starts empty, so a deploy renews it. A path whose render is not kept (no such article) is
 *   rendered directly for the next REFUSED_MS (at most REFUSED_MAX paths, least recently refused dropped first).
 * Responses are sent with the headers the full path sends (Cache-Control `private, no-store` included:
 * docs/deploy.md says why shared caches do not keep them), in the encoding `negotiateEncoding`
 * (./compression.ts) picks for every response (at KEPT_LEVELS: compressed once, sent many times, on
 * zlib's thread pool: at those levels a page takes tens of milliseconds, which must not stall the event loop).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { inject } from 'light-my-request';
import { LRUCache } from 'lru-cache';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { carriesNoClerkSession, type ClerkInstance } from '../clerk/signed-out';
import type { Viewer } from '../gate/viewer';
import { MEMBERS_PREFIX } from '../site/paths';
import { KEPT_LEVELS, MIN_BYTES, negotiateEncoding } from './compression';

export const MEMORY_BUDGET_BYTES = 16 * 1024 * 1024;
export const TTL_MS = 10 * 60 * 1000;
/** How long, and for how many paths at most, a path whose render was not kept is not tried again. */
const REFUSED_MS = 60 * 1000;
const REFUSED_MAX = 1024;

/** Query parameters added by newsletters, social sites and ad networks, read by no page. */
const IGNORED_QUERY = /^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|twclid|mc_cid|mc_eid)$/;
/** A gated article's path: one segment below the members prefix. */
const GATED_PAGE = new RegExp(`^${MEMBERS_PREFIX}([^/]+)/?$`);
const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * The path a gated page is kept under: `/members/<slug>/` with the slug as browsers send it (letters,
 * digits and hyphens as they are, anything else percent-encoded in upper case), or null when `path` is
 * not a gated article's page. `path` is that spelling exactly when the result equals it.
 */
export function canonicalGatedPath(path: string): string | null {
  const segment = GATED_PAGE.exec(path)?.[1];
  if (segment === undefined) return null;
  let slug: string;
  try {
    slug = decodeURIComponent(segment);
  } catch {
    return null;
  }
  return slug.includes('/') ? null : `${MEMBERS_PREFIX}${encodeURIComponent(slug)}/`;
}
/** Set per connection or per response by Node, not part of what is kept. */
const NOT_KEPT = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
]);

/** What Astro's middleware and the page leave in `locals` for a request rendered to fill this. */
export interface FillLocals {
  viewer?: Viewer;
  gatepostAuthFailed?: boolean;
  cacheableForAnonymous?: boolean;
}

/** The server's render path (Astro's handler and the compression of what it writes), with these locals. */
export type Render = (req: IncomingMessage, res: ServerResponse, locals: FillLocals) => void;

interface Kept {
  headers: OutgoingHttpHeaders;
  bodies: { identity: Buffer; br?: Buffer; gzip?: Buffer };
  bytes: number;
}

/** A fill's answer that is not kept but is what the full path would send this request: no such article. */
interface NotFound {
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

type Filled = { kept: Kept } | { notFound: NotFound } | null;

type Outcome = 'hit' | 'fill' | 'miss' | 'redirect';

export interface AnonymousPages {
  /** onRequest hook for the scope that renders pages: answers from memory when it may. */
  onRequest: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
  /**
   * Which Clerk instance decides sessions (null: sign-in off, every reader is anonymous; undefined: not
   * known, so nothing is kept).
   */
  setClerkInstance: (instance: ClerkInstance | null | undefined) => void;
  /** How this request was answered, for the request's log line. */
  outcome: (request: FastifyRequest) => Outcome | undefined;
}

export function anonymousPages(options: { render: Render; budgetBytes?: number; ttlMs?: number }): AnonymousPages {
  const budget = options.budgetBytes ?? MEMORY_BUDGET_BYTES;
  const ttl = options.ttlMs ?? TTL_MS;
  const outcomes = new WeakMap<FastifyRequest, Outcome>();
  // Least recently sent dropped first once over budget; each for at most `ttl`.
  const kept = new LRUCache<string, Kept>({ maxSize: budget, sizeCalculation: (entry) => entry.bytes, ttl });
  const pending = new Map<string, Promise<Filled>>();
  // Paths whose fill was not kept (no such article, a redirect…): rendered directly for a while, so a
  // request for them costs one render, not two.
  const refused = new LRUCache<string, true>({ max: REFUSED_MAX, ttl: REFUSED_MS });
  // Unknown until the server has asked Astro (/readyz): until then nothing is kept.
  let clerk: { instance: ClerkInstance | null } | undefined;

  const eligible = (request: FastifyRequest, path: string, query: string): boolean => {
    if (!clerk || request.method !== 'GET' || canonicalGatedPath(path) === null) return false;
    const params = new URLSearchParams(query);
    for (const name of params.keys()) if (!IGNORED_QUERY.test(name)) return false;
    return (
      clerk.instance === null ||
      carriesNoClerkSession({ method: request.method, headers: request.headers, query: params }, clerk.instance)
    );
  };

  const fill = async (path: string, host: string | undefined): Promise<Filled> => {
    // A request with no cookies and no query, rendered by the server's own render path; what the
    // middleware and the page decided comes back in `locals`.
    const locals: FillLocals = {};
    const response = await inject((req, res) => options.render(req, res, locals), {
      method: 'GET',
      url: path,
      headers: host ? { host } : {},
    });
    const identity = response.rawPayload;
    const anonymous = locals.viewer?.kind === 'anonymous' && !locals.gatepostAuthFailed;
    if (
      (response.statusCode !== 200 && response.statusCode !== 404) ||
      !anonymous ||
      (response.statusCode === 200 && locals.cacheableForAnonymous !== true) ||
      response.headers['set-cookie'] !== undefined ||
      response.headers['content-encoding'] !== undefined
    )
      return null;
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(response.headers))
      if (value !== undefined && !NOT_KEPT.has(name)) headers[name] = value;
    // No such article: not kept (names are endless), but this request is answered with it, so a new
    // name costs one render, as it would without this.
    if (response.statusCode === 404) return { notFound: { headers, body: identity } };
    const bodies: Kept['bodies'] = { identity };
    if (identity.length >= MIN_BYTES) {
      [bodies.br, bodies.gzip] = await Promise.all([
        brotliAsync(identity, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: KEPT_LEVELS.brotli,
            [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
          },
        }),
        gzipAsync(identity, { level: KEPT_LEVELS.gzip }),
      ]);
    }
    const size = identity.length + (bodies.br?.length ?? 0) + (bodies.gzip?.length ?? 0);
    if (size > budget) return null;
    const entry: Kept = { headers, bodies, bytes: size };
    kept.set(path, entry);
    return { kept: entry };
  };

  const send = (request: FastifyRequest, reply: FastifyReply, entry: Kept) => {
    const chosen = negotiateEncoding(request.headers['accept-encoding']);
    // Deflate is not kept: that request renders, as it would without this.
    if (chosen === 'deflate') return false;
    const encoding = chosen ?? 'identity';
    const body = encoding === 'identity' ? entry.bodies.identity : entry.bodies[encoding];
    if (!body) return false;
    reply.headers(entry.headers);
    if (encoding !== 'identity') reply.header('content-encoding', encoding);
    reply.send(body);
    return true;
  };

  return {
    async onRequest(request, reply) {
      const url = request.raw.url ?? '/';
      const q = url.indexOf('?');
      const path = q === -1 ? url : url.slice(0, q);
      if (!eligible(request, path, q === -1 ? '' : url.slice(q + 1))) return undefined;
      // Any other spelling of the page goes to the one that is kept, never into memory or a fill.
      const canonical = canonicalGatedPath(path)!;
      if (canonical !== path) {
        outcomes.set(request, 'redirect');
        return reply.redirect(`${canonical}${q === -1 ? '' : url.slice(q)}`, 301);
      }
      if (refused.has(path)) return undefined;
      let entry = kept.get(path);
      let outcome: Outcome = 'hit';
      if (!entry) {
        outcome = 'fill';
        let filling = pending.get(path);
        if (!filling) {
          // A fill that fails (the render threw) leaves this request to the full path, as if never kept.
          filling = fill(path, request.headers.host)
            .catch((error: unknown) => {
              request.log.warn(`anonymous page not kept: ${(error as Error).message}`);
              return null;
            })
            .finally(() => pending.delete(path));
          pending.set(path, filling);
        }
        const filled = await filling;
        if (filled && 'kept' in filled) entry = filled.kept;
        else {
          refused.set(path, true);
          if (filled) {
            // Sent as it was rendered (uncompressed; a 404 page is small), with the full path's headers.
            outcomes.set(request, 'miss');
            return reply.code(404).headers(filled.notFound.headers).send(filled.notFound.body);
          }
        }
      }
      if (entry && send(request, reply, entry)) {
        outcomes.set(request, outcome);
        return reply;
      }
      outcomes.set(request, 'miss');
      return undefined;
    },
    setClerkInstance(instance) {
      clerk = instance === undefined ? undefined : { instance };
    },
    outcome: (request) => outcomes.get(request),
  };
}
