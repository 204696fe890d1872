/**
 * The files of dist/client, listed at start-up and answered by one `onRequest` hook from a table of
 * their addresses (each file, and each folder with an index.html), sent from memory once read.
 *
 * One hook and a table, not one Fastify route per file: Fastify's start-up time grows faster than the
 * number of routes, and a 10,000-article site has about 23,000 files (docs/performance.md, "Publishing").
 * `@fastify/static` alone stats, opens, reads and closes the file (and its `.br`/`.gz` sibling) on every
 * request; on a busy machine the server then spent most of its time waiting for the file system
 * (docs/performance.md, "Static files"). The build output does not change while the server runs (a
 * deploy is a restart), so a plain GET or HEAD is answered from a copy in memory, bounded in bytes, with
 * the headers `@fastify/static` would send. Requests this does not answer itself go to `@fastify/static`
 * unchanged: conditional and range requests, and files larger than MAX_FILE_BYTES.
 */
import send from '@fastify/send';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import { readFile, stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { listFiles } from '../build/files';
import { negotiateEncoding } from './compression';

/** Largest file kept in memory; larger ones are streamed from disk. */
export const MAX_FILE_BYTES = 512 * 1024;
/** Bytes of file copies kept in memory at most (least recently sent dropped first). */
export const MEMORY_BUDGET_BYTES = 32 * 1024 * 1024;

/** Build-time compressed siblings, by the Accept-Encoding token that selects them. */
const SIBLINGS = { br: '.br', gzip: '.gz' } as const;
type Encoding = keyof typeof SIBLINGS;

/** Headers that make a request one `@fastify/send` must answer (304, 412, 206). */
const CONDITIONAL = ['range', 'if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since'] as const;

interface Copy {
  body: Buffer;
  headers: Record<string, string>;
}

interface FileRoute {
  /** Path below the root, with forward slashes, e.g. `articles/x/index.html`. */
  file: string;
  encodings: Encoding[];
  /** Content-hashed build assets never change under the same name; the rest is a public page or file. */
  cacheClass: 'immutable' | 'publicPage';
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether a file of dist/client answers GET `path` (a file's address, or a folder's with an index.html). */
    hasStaticFile(path: string): boolean;
  }
}

/** The request's path as the table keys it: without the query, percent-escapes decoded as Fastify's router does. */
function lookupPath(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  const path = query === -1 ? raw : raw.slice(0, query);
  if (!path.includes('%')) return path;
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

export interface StaticFilesOptions {
  root: string;
  budgetBytes?: number;
}

/**
 * Answers GET and HEAD for the files under `root`; every other request goes on to the routes and Astro.
 * Not encapsulated (fastify-plugin): its hook runs for every request, after the hooks registered before
 * it. Needs `reply.sendFile` (`@fastify/static` registered with `serve: false` on the same root).
 */
export const staticFiles = fastifyPlugin<StaticFilesOptions>(
  async (fastify, options) => {
    const copies = fileCopies(options.root, options.budgetBytes ?? MEMORY_BUDGET_BYTES);

    const all = listFiles(options.root).map((path) => relative(options.root, path).split(sep).join('/'));
    const present = new Set(all);
    const routes = new Map<string, FileRoute>();
    for (const file of all) {
      if (file.endsWith('.br') || file.endsWith('.gz')) continue;
      const route: FileRoute = {
        file,
        encodings: (Object.keys(SIBLINGS) as Encoding[]).filter((e) => present.has(file + SIBLINGS[e])),
        cacheClass: file.startsWith('_astro/') ? 'immutable' : 'publicPage',
      };
      routes.set(`/${file}`, route);
      if (file === 'index.html' || file.endsWith('/index.html'))
        routes.set(`/${file.slice(0, -'index.html'.length)}`, route);
    }

    fastify.decorate('hasStaticFile', (path: string) => routes.has(path));
    // Callback style: a request that is not for a file (every rendered page) goes on synchronously, with no
    // promise turn of its own.
    fastify.addHook('onRequest', (request, reply, done) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') return done();
      const route = routes.get(lookupPath(request.raw.url));
      if (!route) return done();
      // The cache policy's class for this file (the onSend hook in ./app.ts reads it).
      request.cacheClass = route.cacheClass;
      // Answered here, so `done` is never called: the request goes no further (Fastify's early reply).
      sendFile(request, reply, route, copies).catch((error: unknown) => reply.send(error));
    });
  },
  { name: 'gatepost-static-files' },
);

async function sendFile(request: FastifyRequest, reply: FastifyReply, route: FileRoute, copies: Copies) {
  const headers = request.headers;
  if (CONDITIONAL.some((name) => headers[name] !== undefined)) return reply.sendFile(route.file);
  const encoding = negotiateEncoding(headers['accept-encoding'], route.encodings) as Encoding | undefined;
  const key = encoding ? route.file + SIBLINGS[encoding] : route.file;
  const copy = await copies.fetch(key, { context: { file: route.file, encoding } });
  if (!copy || copy === FROM_DISK) return reply.sendFile(route.file);
  reply.headers(copy.headers);
  return reply.send(copy.body);
}

/** A file too large to keep: remembered, so that it is streamed without being looked at again. */
const FROM_DISK = 'from disk';
type Copies = LRUCache<string, Copy | typeof FROM_DISK, { file: string; encoding: Encoding | undefined }>;

/**
 * File copies with their headers, least recently sent dropped first once over `budget` bytes; concurrent
 * requests for a file not yet read share one read (lru-cache's `fetch`).
 */
function fileCopies(root: string, budget: number): Copies {
  return new LRUCache({
    maxSize: budget,
    sizeCalculation: (copy) => (copy === FROM_DISK ? 1 : Math.max(1, copy.body.length)),
    fetchMethod: async (key, _stale, { context }) => {
      const path = `${root}/${key}`;
      try {
        const stats = await stat(path);
        if (stats.size > MAX_FILE_BYTES || stats.size > budget) return FROM_DISK;
        const body = await readFile(path);
        // As @fastify/send and @fastify/static write them for the same file.
        let type = send.mime.getType(context.file) ?? 'application/octet-stream';
        if (send.isUtf8MimeType(type)) type += '; charset=utf-8';
        const headers: Record<string, string> = {
          'accept-ranges': 'bytes',
          'last-modified': stats.mtime.toUTCString(),
          etag: `W/"${stats.size.toString(16)}-${stats.mtime.getTime().toString(16)}"`,
          'content-type': type,
          'content-length': String(body.length),
          vary: 'accept-encoding',
          ...(context.encoding ? { 'content-encoding': context.encoding } : {}),
        };
        return { body, headers };
      } catch {
        // Gone since start-up, or unreadable: not kept, and @fastify/static answers (404).
        return undefined;
      }
    },
  });
}
