/**
 * Compression of the responses Astro renders per request, as an Astro middleware the server integration
 * adds before the site's own (./integration.ts, `addMiddleware` with `order: 'pre'`), so it sees each
 * response as the site's middleware left it.
 *
 * Astro writes a page as many small chunks (one per component or so); compressing them as a stream made
 * each a zlib job, which made a compressed page far costlier than a plain one (docs/performance.md,
 * "Issue 15"). Rendered pages are tens of kilobytes, so the body is read in one piece and compressed
 * with one call on zlib's thread pool, under the rules the `compression` middleware applies:
 * - only media types `isCompressibleType` accepts, never under `Cache-Control: no-transform`, never a
 *   body already encoded, shorter than MIN_BYTES, or for HEAD;
 * - `Vary: Accept-Encoding` on every response of a compressible type;
 * - the encoding from the server's one negotiation (`negotiateEncoding`).
 * Every response with a body is sent in one piece with its Content-Length. Under `astro dev` this step
 * does nothing.
 */
import { defineMiddleware } from 'astro:middleware';
import { promisify } from 'node:util';
import { brotliCompress, constants, deflate, gzip } from 'node:zlib';
import { isCompressibleType, MIN_BYTES, negotiateEncoding, RENDERED_LEVELS, type Encoding } from './compression';

const NO_TRANSFORM = /(?:^|,)\s*?no-transform\s*?(?:,|$)/i;
const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
const deflateAsync = promisify(deflate);

/** `body` in `encoding`, at RENDERED_LEVELS, on zlib's thread pool. */
function compress(encoding: Encoding, body: Uint8Array): Promise<Buffer> {
  if (encoding === 'br') {
    return brotliAsync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: RENDERED_LEVELS.brotli,
        [constants.BROTLI_PARAM_LGWIN]: RENDERED_LEVELS.brotliWindowBits,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
  }
  return encoding === 'gzip'
    ? gzipAsync(body, { level: RENDERED_LEVELS.gzip })
    : deflateAsync(body, { level: RENDERED_LEVELS.gzip });
}

function appendVary(headers: Headers) {
  const current = headers.get('vary') ?? '';
  if (current.split(',').some((field) => ['*', 'accept-encoding'].includes(field.trim().toLowerCase()))) return;
  headers.set('Vary', current ? `${current}, Accept-Encoding` : 'Accept-Encoding');
}

/** The response as it is sent: in one piece with its length, compressed when the rules above allow. */
export async function compressedResponse(request: Request, response: Response): Promise<Response> {
  // A copy: a response's own headers may be immutable (Response.redirect, fetch).
  const headers = new Headers(response.headers);
  const init = { status: response.status, statusText: response.statusText, headers };
  const compressible =
    isCompressibleType(headers.get('content-type')) && !NO_TRANSFORM.test(headers.get('cache-control') ?? '');
  if (compressible) appendVary(headers);
  if (request.method === 'HEAD' || !response.body || headers.has('transfer-encoding')) {
    return compressible ? new Response(response.body, init) : response;
  }
  let body = new Uint8Array(await response.arrayBuffer());
  const encoded = headers.get('content-encoding');
  const method = negotiateEncoding(request.headers.get('accept-encoding') ?? undefined);
  if (compressible && method && body.length >= MIN_BYTES && (encoded === null || encoded === 'identity')) {
    const compressed = await compress(method, body);
    // zlib never answers in shared memory.
    body = new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.length) as Uint8Array<ArrayBuffer>;
    headers.set('Content-Encoding', method);
  }
  headers.set('Content-Length', String(body.length));
  return new Response(body, init);
}

export const onRequest = defineMiddleware(async (context, next) => {
  const response = await next();
  if (import.meta.env.DEV || context.isPrerendered) return response;
  return compressedResponse(context.request, response);
});
