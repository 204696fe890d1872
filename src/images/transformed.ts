/**
 * Transformed images, bounded in work and memory. A width or height above the source's own is brought
 * down to it (keeping the asked-for proportions: sharp never enlarges, so the output would be the same),
 * each distinct transform runs once and its output is kept (least recently sent dropped first, at most
 * MEMORY_BUDGET_BYTES), identical requests in flight share one run, and at most MAX_RUNNING run at once,
 * so transforms never hold every thread of libuv's pool (which file reads and zlib share).
 */
import { LRUCache } from 'lru-cache';
import pLimit from 'p-limit';
import type { SourceImage } from './source';

/** Bytes of transformed images kept in memory at most. */
export const MEMORY_BUDGET_BYTES = 32 * 1024 * 1024;
/** Transforms running at once; the rest wait their turn. */
const MAX_RUNNING = 2;

export interface Transformed {
  body: Uint8Array<ArrayBuffer>;
  headers: Record<string, string>;
}

/**
 * The request's parameters with `w`/`h` no larger than the source, proportions kept; sorted, so the same
 * transform asked in any order is one entry.
 */
export function fitToSource(params: URLSearchParams, source: Pick<SourceImage, 'width' | 'height'>): URLSearchParams {
  const fitted = new URLSearchParams(params);
  const w = params.has('w') ? Number(params.get('w')) : undefined;
  const h = params.has('h') ? Number(params.get('h')) : undefined;
  const scale = Math.min(1, w ? source.width / w : 1, h ? source.height / h : 1);
  if (w) fitted.set('w', String(Math.max(1, Math.round(w * scale))));
  if (h) fitted.set('h', String(Math.max(1, Math.round(h * scale))));
  fitted.sort();
  return fitted;
}

const kept = new LRUCache<string, Transformed>({
  maxSize: MEMORY_BUDGET_BYTES,
  sizeCalculation: (entry) => Math.max(1, entry.body.byteLength),
});
const running = new Map<string, Promise<Transformed | Response>>();
const KEPT_HEADERS = new Set(['content-type', 'cache-control', 'etag']);
const limit = pLimit(MAX_RUNNING);

const respond = ({ body, headers }: Transformed) => new Response(body, { status: 200, headers });

/**
 * The response for the transform `key`: from memory, or from `transform` (run once for all concurrent
 * requests of the same key, at most MAX_RUNNING at a time). Only a 200 is kept.
 */
export async function transformedImage(key: string, transform: () => Promise<Response>): Promise<Response> {
  const hit = kept.get(key);
  if (hit) return respond(hit);
  let run = running.get(key);
  if (!run) {
    run = limit(async () => {
      const response = await transform();
      if (response.status !== 200) return response;
      const entry: Transformed = {
        body: new Uint8Array(await response.arrayBuffer()),
        // What describes the image; the date is the sending's own.
        headers: Object.fromEntries([...response.headers].filter(([name]) => KEPT_HEADERS.has(name))),
      };
      kept.set(key, entry);
      return entry;
    }).finally(() => running.delete(key));
    running.set(key, run);
  }
  const result = await run;
  // Each waiting request gets its own response (a body can be read once).
  return result instanceof Response ? result.clone() : respond(result);
}
