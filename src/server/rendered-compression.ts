/**
 * Compression of the responses Astro's handler renders, in one piece.
 *
 * Astro's handler writes a page as many small chunks (one per component or so). The `compression`
 * middleware made each of them a zlib job on Node's thread pool, several per response, which made a
 * compressed page far costlier than a plain one (measured in docs/performance.md, "Issue 15"). Rendered
 * pages are tens of kilobytes, so the response is gathered in memory instead and, when it ends,
 * compressed with one synchronous call, under the rules `compression` applies:
 * - only media types `isCompressibleType` accepts, never under `Cache-Control: no-transform`, never a
 *   body already encoded, shorter than MIN_BYTES, or for HEAD;
 * - `Vary: Accept-Encoding` on every response of a compressible type;
 * - the encoding from the server's one negotiation (`negotiateEncoding`).
 * It also keeps Node's contract for write callbacks: Astro's handler ends a response whose page failed
 * mid-render by writing a last chunk and destroying the connection in that write's callback, so the
 * client sees the response end at once (nothing of it was sent).
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';
import { isCompressibleType, MIN_BYTES, negotiateEncoding } from './compression';

export interface Levels {
  gzip: number;
  brotli: number;
  brotliWindowBits: number;
}

const NO_TRANSFORM = /(?:^|,)\s*?no-transform\s*?(?:,|$)/i;

type Handler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** Wraps `handler` so that what it writes is gathered and sent compressed when it ends. */
export function renderedCompression(levels: Levels, handler: Handler): Handler {
  return (req, res, next) => {
    const original = { writeHead: res.writeHead, write: res.write, end: res.end };
    let head: { status: number; message?: string; headers?: unknown } | null = null;
    const chunks: Buffer[] = [];
    let size = 0;
    let ended = false;

    res.writeHead = function (this: ServerResponse, status: number, message?: unknown, headers?: unknown) {
      head = typeof message === 'string' ? { status, message, headers } : { status, headers: message };
      return this;
    } as typeof res.writeHead;
    res.write = function (this: ServerResponse, chunk: unknown, encoding?: unknown, callback?: unknown) {
      const done = typeof encoding === 'function' ? encoding : callback;
      if (!ended) gather(chunk, encoding);
      if (typeof done === 'function') process.nextTick(done as () => void);
      return true;
    } as typeof res.write;
    res.end = function (this: ServerResponse, chunk?: unknown, encoding?: unknown, callback?: unknown) {
      const done = [chunk, encoding, callback].find((arg) => typeof arg === 'function') as (() => void) | undefined;
      if (ended) return this;
      if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') gather(chunk, encoding);
      ended = true;
      restore();
      send(done);
      return this;
    } as typeof res.end;

    function restore() {
      res.writeHead = original.writeHead;
      res.write = original.write;
      res.end = original.end;
    }

    function gather(chunk: unknown, encoding: unknown) {
      const buffer =
        typeof chunk === 'string'
          ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
          : ArrayBuffer.isView(chunk)
            ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
            : Buffer.from(chunk as ArrayBuffer);
      chunks.push(buffer);
      size += buffer.length;
    }

    function send(done: (() => void) | undefined) {
      if (head) {
        for (const [name, value] of headerEntries(head.headers)) res.setHeader(name, value);
        res.statusCode = head.status;
        if (head.message !== undefined) res.statusMessage = head.message;
      }
      let body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      const type = res.getHeader('content-type');
      const cacheControl = res.getHeader('cache-control');
      if (isCompressibleType(type) && !(typeof cacheControl === 'string' && NO_TRANSFORM.test(cacheControl))) {
        appendVary(res);
        const encoded = res.getHeader('content-encoding');
        const method = negotiateEncoding(req.headers['accept-encoding']);
        if (
          method &&
          req.method !== 'HEAD' &&
          body.length >= MIN_BYTES &&
          (encoded === undefined || encoded === 'identity')
        ) {
          body =
            method === 'br'
              ? brotliCompressSync(body, {
                  params: {
                    [constants.BROTLI_PARAM_QUALITY]: levels.brotli,
                    [constants.BROTLI_PARAM_LGWIN]: levels.brotliWindowBits,
                    [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
                  },
                })
              : method === 'gzip'
                ? gzipSync(body, { level: levels.gzip })
                : deflateSync(body, { level: levels.gzip });
          res.setHeader('Content-Encoding', method);
        }
      }
      const bodiless = req.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304;
      if (!bodiless && !res.hasHeader('transfer-encoding')) res.setHeader('Content-Length', body.length);
      if (done) res.once('finish', done);
      res.end(body);
    }

    // Astro calls next() for a path no route matches: the rest is answered as it was never wrapped.
    handler(req, res, (error?: unknown) => {
      if (!ended && size === 0 && !head) restore();
      next(error);
    });
  };
}

function appendVary(res: ServerResponse) {
  const current = res.getHeader('vary');
  const value = Array.isArray(current) ? current.join(', ') : typeof current === 'string' ? current : '';
  if (value.split(',').some((field) => ['*', 'accept-encoding'].includes(field.trim().toLowerCase()))) return;
  res.setHeader('Vary', value ? `${value}, Accept-Encoding` : 'Accept-Encoding');
}

/** The headers argument of `writeHead`: an object, an array of pairs or a flat array. */
function headerEntries(headers: unknown): [string, string | number | string[]][] {
  if (!headers) return [];
  if (Array.isArray(headers)) {
    if (Array.isArray(headers[0])) return headers as [string, string][];
    const pairs: [string, string][] = [];
    for (let i = 0; i + 1 < headers.length; i += 2) pairs.push([String(headers[i]), String(headers[i + 1])]);
    return pairs;
  }
  return Object.entries(headers as OutgoingHttpHeaders).filter(
    (entry): entry is [string, string | number | string[]] => entry[1] !== undefined,
  );
}
