/**
 * What Gatepost compresses and how: HTML, CSS, JavaScript, XML, JSON and SVG, as brotli or gzip,
 * chosen by the request's Accept-Encoding.
 *
 * - Files in dist/client are compressed once, at build time (`precompressClientFiles`, called by the
 *   server integration), into `.br` and `.gz` files beside them; the server sends those as they are.
 * - Pages rendered per request are compressed on the fly at RENDERED_LEVELS (chosen by measurement:
 *   docs/performance.md, "Compression").
 */
import { negotiate } from '@fastify/accept-negotiator';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { constants } from 'node:zlib';
import { linkOrCopy } from '../build/files';
import { CompressPool } from './compress-pool';

/** File extensions compressed at build time. */
export const COMPRESSIBLE_EXTENSIONS = new Set(['.html', '.css', '.js', '.mjs', '.xml', '.json', '.svg']);

/** Media types compressed on the fly (Content-Type without parameters). */
const COMPRESSIBLE_TYPES = new Set([
  'text/html',
  'text/css',
  'text/javascript',
  'application/javascript',
  'text/xml',
  'application/xml',
  'application/rss+xml',
  'application/atom+xml',
  'application/json',
  'application/manifest+json',
  'image/svg+xml',
]);

export function isCompressibleType(contentType: unknown): boolean {
  if (typeof contentType !== 'string') return false;
  return COMPRESSIBLE_TYPES.has(contentType.split(';')[0]!.trim().toLowerCase());
}

/** Encodings the server sends, in its order of preference. */
export const ENCODINGS = ['br', 'gzip', 'deflate'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/**
 * The one encoding negotiation, for every response the server sends: files from memory
 * (./static-files.ts), rendered pages (./rendered-compression.ts) and kept anonymous pages
 * (./anonymous-pages.ts). It is the rule `@fastify/static` applies to the file requests it still answers
 * (conditional and range requests), so a file has the same encoding whoever sends it: the highest
 * quality among `available` wins, ties go to the server's order (brotli, gzip, deflate), `*` counts as
 * gzip, and no Accept-Encoding header (or only `identity`) means none.
 */
export function negotiateEncoding(
  acceptEncoding: string | string[] | undefined,
  available: readonly Encoding[] = ENCODINGS,
): Encoding | undefined {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(', ') : acceptEncoding;
  if (!header || available.length === 0) return undefined;
  const preferred = ENCODINGS.filter((encoding) => available.includes(encoding));
  return (negotiate(header.toLowerCase().replace(/\*/g, 'gzip'), preferred) as Encoding | null) ?? undefined;
}

/** Below this many bytes compression saves less than a packet and costs a little time. */
export const MIN_BYTES = 1024;

/**
 * On-the-fly levels for rendered pages, and brotli's window: pages are far below 256 KiB, and the
 * default 4 MiB window costs memory and set-up time on every response.
 */
export const RENDERED_LEVELS = { gzip: 3, brotli: 3, brotliWindowBits: 18 } as const;

/** Levels for responses compressed once and sent many times (src/server/anonymous-pages.ts). */
export const KEPT_LEVELS = { gzip: 9, brotli: 9 } as const;

/** Every file below `dir` whose extension may be precompressed. */
function filesIn(dir: string): string[] {
  // One synchronous walk: an article is a folder of its own, and a walk through the thread pool waited a
  // round trip for each folder's listing.
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && COMPRESSIBLE_EXTENSIONS.has(extname(entry.name)))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Brotli quality for the built documents (HTML pages, the feed, the sitemap): a site has thousands of
 * pages and every publish recompresses the ones that list articles, while quality 6 costs a tenth of
 * quality 10 for slightly larger files (docs/performance.md, "Build"), and the best quality on a large
 * site's sitemap alone would hold up every publish.
 */
const DOCUMENT_BROTLI_QUALITY = 6;
const DOCUMENT_EXTENSIONS = new Set(['.html', '.xml', '.json']);

/**
 * Build-time levels for one file: what its cache entry depends on besides its bytes. Scripts, styles and
 * images (few, named by their content, changed only with the code and cached for a year) get the best.
 */
function buildLevels(file: string): { brotli: number; gzip: number } {
  const document = DOCUMENT_EXTENSIONS.has(extname(file));
  return { brotli: document ? DOCUMENT_BROTLI_QUALITY : constants.BROTLI_MAX_QUALITY, gzip: 9 };
}

export interface PrecompressResult {
  /** Files of at least MIN_BYTES considered. */
  files: number;
  /** Of those, how many were compressed now (the rest came from the cache). */
  compressed: number;
  bytes: number;
  saved: number;
}

/**
 * Writes `<file>.br` (brotli at `buildLevels`: DOCUMENT_BROTLI_QUALITY for documents, the best for the rest) and
 * `<file>.gz` (gzip level 9) beside every compressible file of at least MIN_BYTES under `dir`, each only
 * when it is smaller than the file.
 *
 * With `cacheDir`, results are kept there by content hash (and levels): a file whose bytes were compressed
 * by an earlier build gets the cache's files (hard-linked, ./linkCached), not compressed again, so a build that changed a few pages
 * compresses only those; the output is byte for byte what compressing would give (zlib is deterministic
 * for the same input and parameters). Entries no file of this build used are removed afterwards, so the
 * cache holds one build's worth.
 *
 * Files the cache has are linked first; the rest are compressed on `concurrency` worker threads
 * (./compress-pool.ts).
 */
export async function precompressClientFiles(
  dir: string,
  { cacheDir, concurrency = Math.max(2, availableParallelism()) }: { cacheDir?: string; concurrency?: number } = {},
): Promise<PrecompressResult> {
  const files = filesIn(dir);
  if (cacheDir) await mkdir(cacheDir, { recursive: true });
  const used = new Set<string>();
  let bytes = 0;
  let saved = 0;
  let count = 0;
  const tally = (size: number, brotliSize: number) => {
    count++;
    bytes += size;
    saved += size - (brotliSize || size);
  };
  // First every file the cache has is linked; only then are the others compressed. Synchronously: a
  // build that changed little spends this step on small file operations (read, hash, look up, link), and
  // through the thread pool each read alone is four round trips (open, stat, read, close), slower than
  // doing them one after another (docs/performance.md, "Incremental builds").
  const missing: { file: string; key: string | undefined }[] = [];
  for (const file of files) {
    const data = readFileSync(file);
    if (data.length < MIN_BYTES) continue;
    const key = cacheDir ? cacheKey(file, data) : undefined;
    const linked = key ? linkCached(cacheDir!, key, file) : undefined;
    if (!linked) {
      missing.push({ file, key });
      continue;
    }
    used.add(key!);
    tally(data.length, linked.br);
  }
  // Compressed on `concurrency` threads (./compress-pool.ts), with as many files in hand as when linking,
  // so a thread never waits while files are read, kept and linked.
  const pool = missing.length ? new CompressPool(Math.min(concurrency, missing.length)) : undefined;
  try {
    await eachOf(missing, IO_CONCURRENCY, async ({ file, key }) => {
      const data = await readFile(file);
      const { br, gz } = await pool!.compress(data, buildLevels(file));
      // An empty buffer stands for "not smaller than the file": compressed output is never empty.
      const outputs = { br: br.length < data.length ? br : EMPTY, gz: gz.length < data.length ? gz : EMPTY };
      if (key) {
        await writeCached(cacheDir!, key, outputs);
        used.add(key);
        // Beside the file as links to what was just kept, as for files the cache already had.
        linkCached(cacheDir!, key, file, { br: outputs.br.length, gz: outputs.gz.length });
      } else {
        if (outputs.br.length) await writeFile(`${file}.br`, outputs.br);
        if (outputs.gz.length) await writeFile(`${file}.gz`, outputs.gz);
      }
      tally(data.length, outputs.br.length);
    });
  } finally {
    await pool?.close();
  }
  if (cacheDir) await pruneCache(cacheDir, used);
  return { files: count, compressed: missing.length, bytes, saved };
}

/** Files in hand at once while compressing: each read or write waits on libuv's thread pool, so many overlap. */
const IO_CONCURRENCY = 16;

/** The cache key of a file's compressed forms: its bytes and the levels they are compressed at. */
function cacheKey(file: string, data: Buffer): string {
  const levels = buildLevels(file);
  return createHash('sha256').update(`br${levels.brotli} gz${levels.gzip}\0`).update(data).digest('hex');
}

/** Runs `task` on every item, at most `limit` at once. */
async function eachOf<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const EMPTY = Buffer.alloc(0);

/**
 * Puts the cached outputs of `key` beside `file` as hard links to the cache's files (a copy where links
 * are not possible), without reading them: cache entries are never written in place (./writeCached
 * renames a new file over), so a link keeps the bytes it was made with. Returns their sizes (0: not
 * smaller than the file, nothing written), or undefined when the cache has no entry. With `known` (the
 * sizes of entries just written) the cache is not looked at first.
 */
function linkCached(
  cacheDir: string,
  key: string,
  file: string,
  known?: { br: number; gz: number },
): { br: number; gz: number } | undefined {
  let sizes: { br: number; gz: number };
  if (known) sizes = known;
  else {
    const br = statSync(join(cacheDir, `${key}.br`), { throwIfNoEntry: false });
    const gz = br && statSync(join(cacheDir, `${key}.gz`), { throwIfNoEntry: false });
    if (!br || !gz) return undefined;
    sizes = { br: br.size, gz: gz.size };
  }
  for (const ext of ['br', 'gz'] as const) {
    // A file left by an earlier build in the same folder is replaced by a new link, never written into.
    if (sizes[ext]) linkOrCopy(join(cacheDir, `${key}.${ext}`), `${file}.${ext}`);
  }
  return sizes;
}

/** Each file written whole under a temporary name, then renamed: an interrupted build leaves no half entry. */
let partialCount = 0;

async function writeCached(cacheDir: string, key: string, outputs: { br: Buffer; gz: Buffer }): Promise<void> {
  for (const [ext, data] of [
    ['gz', outputs.gz],
    ['br', outputs.br],
  ] as const) {
    const file = join(cacheDir, `${key}.${ext}`);
    // Its own name aside: two files with the same bytes may be kept at the same time (same key, same bytes).
    const partial = `${file}.${process.pid}.${(partialCount++).toString(36)}.tmp`;
    await writeFile(partial, data);
    await rename(partial, file);
  }
}

async function pruneCache(cacheDir: string, used: ReadonlySet<string>): Promise<void> {
  for (const name of await readdir(cacheDir)) {
    if (!used.has(name.replace(/\.(br|gz)(\.tmp)?$/, ''))) await rm(join(cacheDir, name), { force: true });
  }
}
