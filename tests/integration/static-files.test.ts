/**
 * Static files sent from memory (src/server/static-files.ts) answer exactly as `@fastify/static` does
 * when it reads the disk each time: same status, headers and bytes, for plain, compressed, conditional,
 * range and HEAD requests, within a memory budget far smaller than the files.
 */
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { get } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, staticFiles } from '../../src/server/static-files';

const html = '<!doctype html><title>x</title>'.padEnd(6000, 'a');
const big = Buffer.alloc(MAX_FILE_BYTES + 1, 7);

let memory: FastifyInstance;
let disk: FastifyInstance;
let memoryBase: string;
let diskBase: string;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'gatepost-static-'));
  mkdirSync(join(root, 'articles/one'), { recursive: true });
  writeFileSync(join(root, 'articles/one/index.html'), html);
  writeFileSync(join(root, 'articles/one/index.html.br'), brotliCompressSync(html));
  writeFileSync(join(root, 'articles/one/index.html.gz'), gzipSync(html));
  writeFileSync(join(root, 'style.css'), 'body{color:red}'.repeat(100));
  writeFileSync(join(root, 'style.css.gz'), gzipSync('body{color:red}'.repeat(100)));
  writeFileSync(join(root, 'logo.png'), Buffer.from([137, 80, 78, 71, 1, 2, 3]));
  writeFileSync(join(root, 'big.bin'), big);

  memory = Fastify();
  await memory.register(fastifyStatic, { root, serve: false, preCompressed: true, cacheControl: false });
  // A budget smaller than the files together: copies are dropped and read again.
  await memory.register(staticFiles, { root, budgetBytes: 8000 });
  memoryBase = await memory.listen({ host: '127.0.0.1', port: 0 });

  // What the server did before: @fastify/static reading the disk per request.
  disk = Fastify();
  await disk.register(fastifyStatic, {
    root,
    wildcard: false,
    globIgnore: ['**/*.br', '**/*.gz'],
    preCompressed: true,
    cacheControl: false,
  });
  diskBase = await disk.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await Promise.all([memory?.close(), disk?.close()]);
});

async function both(path: string, init: RequestInit = {}) {
  const get = async (base: string) => {
    const response = await fetch(base + path, init);
    const body = Buffer.from(await response.arrayBuffer());
    const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== 'date'));
    return { status: response.status, headers, body };
  };
  return { fromMemory: await get(memoryBase), fromDisk: await get(diskBase) };
}

const cases: [string, string, Record<string, string>][] = [
  ['a page by its folder', '/articles/one/', { 'accept-encoding': 'identity' }],
  ['a page by its file', '/articles/one/index.html', { 'accept-encoding': 'identity' }],
  ['what fetch accepts by default', '/articles/one/', {}],
  ['brotli when preferred', '/articles/one/', { 'accept-encoding': 'br, gzip' }],
  ['gzip when only gzip is accepted', '/articles/one/', { 'accept-encoding': 'gzip, deflate' }],
  ['gzip for a file without a .br', '/style.css', { 'accept-encoding': 'br;q=0.9, gzip' }],
  ['the plain file when no encoding is acceptable', '/style.css', { 'accept-encoding': 'identity' }],
  ['a binary file', '/logo.png', { 'accept-encoding': 'br, gzip' }],
  ['a file too large to keep', '/big.bin', {}],
  ['a range', '/articles/one/', { range: 'bytes=10-99' }],
];

describe('static files from memory', () => {
  for (const [name, path, headers] of cases) {
    it(`send the same response as @fastify/static: ${name}`, async () => {
      // Twice: the first read fills the copy, the second is sent from it.
      for (let round = 0; round < 2; round++) {
        const { fromMemory, fromDisk } = await both(path, { headers });
        expect(fromMemory.status).toBe(fromDisk.status);
        expect(fromMemory.headers).toEqual(fromDisk.headers);
        expect(fromMemory.body.equals(fromDisk.body)).toBe(true);
      }
    });
  }

  it('decompress to the file itself', async () => {
    const response = await fetch(`${memoryBase}/articles/one/`, { headers: { 'accept-encoding': 'br' } });
    expect(response.headers.get('content-encoding')).toBe('br');
    // fetch decodes what Content-Encoding names.
    expect(await response.text()).toBe(html);
  });

  it('answer a revalidation with its ETag with 304, as @fastify/static does', async () => {
    const plain = { 'accept-encoding': 'identity' };
    const etag = (await fetch(`${memoryBase}/articles/one/`, { headers: plain })).headers.get('etag')!;
    // Not fetch: it adds `Cache-Control: no-cache` to a conditional request, which asks for a full response.
    const revalidate = (base: string) =>
      new Promise<{ status: number | undefined; headers: Record<string, unknown> }>((resolve, reject) => {
        get(`${base}/articles/one/`, { headers: { ...plain, 'if-none-match': etag } }, (response) => {
          response.resume();
          const { date: _date, connection: _c, 'keep-alive': _k, ...headers } = response.headers;
          resolve({ status: response.statusCode, headers });
        }).on('error', reject);
      });
    const [fromMemory, fromDisk] = [await revalidate(memoryBase), await revalidate(diskBase)];
    expect(fromMemory.status).toBe(304);
    expect(fromMemory).toEqual(fromDisk);
  });

  it('answer HEAD with the headers of GET and no body', async () => {
    const head = await fetch(`${memoryBase}/articles/one/`, {
      method: 'HEAD',
      headers: { 'accept-encoding': 'identity' },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(html)));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('leave paths that are not files to the routes after them', async () => {
    expect((await fetch(`${memoryBase}/articles/`)).status).toBe(404);
    expect((await fetch(`${memoryBase}/articles/one/index.html.br`)).status).toBe(404);
  });
});
