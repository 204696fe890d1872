/**
 * The build's precompression (src/server/compression.ts `precompressClientFiles`): every compressible file
 * of at least 1 KiB gets `.br` and `.gz` beside it that decompress to its bytes; a later build with the
 * same cache compresses nothing it already has and gives the same bytes, as links to the cache; the cache
 * keeps only what the last build used.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { precompressClientFiles } from '../../src/server/compression';

const root = mkdtempSync(join(tmpdir(), 'gatepost-precompress-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const page = (title: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body>${'<p>Some words of an article, again and again.</p>\n'.repeat(80)}</body></html>`;

function site(name: string): string {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(root, 'source'), dir, { recursive: true });
  return dir;
}

const source = join(root, 'source');
mkdirSync(source);
writeFileSync(join(source, 'a.html'), page('A'));
// The same bytes as a.html: both are compressed in the same build, under the same cache key.
writeFileSync(join(source, 'b.html'), page('A'));
writeFileSync(join(source, 'style.css'), `.x { color: red; }\n`.repeat(200));
writeFileSync(join(source, 'small.html'), '<p>short</p>');
const cacheDir = join(root, 'cache');

function expectCompressed(dir: string, name: string) {
  const bytes = readFileSync(join(dir, name));
  expect(brotliDecompressSync(readFileSync(join(dir, `${name}.br`))).equals(bytes)).toBe(true);
  expect(gunzipSync(readFileSync(join(dir, `${name}.gz`))).equals(bytes)).toBe(true);
}

describe('precompressClientFiles', () => {
  it('writes .br and .gz beside every file of at least 1 KiB, duplicates included', async () => {
    const dir = site('first');
    const result = await precompressClientFiles(dir, { cacheDir });
    expect(result).toMatchObject({ files: 3, compressed: 3 });
    for (const name of ['a.html', 'b.html', 'style.css']) expectCompressed(dir, name);
    expect(readdirSync(dir)).not.toContain('small.html.br');
    expect(readdirSync(cacheDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('compresses nothing the cache has, and gives the same bytes as links to it', async () => {
    const before = readFileSync(join(root, 'first', 'a.html.br'));
    const dir = site('second');
    const result = await precompressClientFiles(dir, { cacheDir });
    expect(result).toMatchObject({ files: 3, compressed: 0 });
    expect(readFileSync(join(dir, 'a.html.br')).equals(before)).toBe(true);
    expect(statSync(join(dir, 'a.html.br')).nlink).toBeGreaterThan(1);
    for (const name of ['a.html', 'b.html', 'style.css']) expectCompressed(dir, name);
    // Again in the same folder, over the links already there.
    expect(await precompressClientFiles(dir, { cacheDir })).toMatchObject({ compressed: 0 });
    for (const name of ['a.html', 'b.html', 'style.css']) expectCompressed(dir, name);
  });

  it('compresses a changed file again and keeps only what the last build used', async () => {
    const dir = site('third');
    writeFileSync(join(dir, 'a.html'), page('A, edited'));
    rmSync(join(dir, 'style.css'));
    const result = await precompressClientFiles(dir, { cacheDir });
    expect(result).toMatchObject({ files: 2, compressed: 1 });
    expectCompressed(dir, 'a.html');
    expectCompressed(dir, 'b.html');
    // a.html (edited) and b.html (unchanged): two entries of two files each.
    expect(readdirSync(cacheDir)).toHaveLength(4);
  });
});
