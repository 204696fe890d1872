/**
 * Every article (public or gated), the home page and each tag page names its social card with Open
 * Graph's image, width, height and alt, and Twitter's large card. The built server draws each card the
 * first time it is asked for (nothing is prerendered), keeps it in GATEPOST_CARD_CACHE_DIR and serves it
 * from there afterwards, as a 1200×630 PNG any cache may keep, with an ETag. Drafts, scheduled articles,
 * unknown names and bad paths are 404s; a full drawing queue answers 503; a directory it cannot write
 * still gives the card. Against the production build (`npm test` builds first).
 */
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_PREFIX } from '../../src/site/paths';
import { publishedSourceArticles } from '../support/articles';
import { listFiles } from '../support/leak-scan';
import { DIST, ROOT } from '../support/paths';
import { startServer, type RunningServer } from '../support/server';

const scratch = mkdtempSync(join(tmpdir(), 'gatepost-cards-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const published = publishedSourceArticles();
const tags = [...new Set(published.flatMap((a) => a.tags))];
const unpublished = publishedSourceArticles(new Date(8640000000000000)).filter(
  (a) => !published.some((p) => p.slug === a.slug),
);

/** Width and height from a PNG's IHDR chunk. */
const pngFacts = (bytes: Buffer) => ({
  signature: bytes.subarray(1, 4).toString(),
  width: bytes.readUInt32BE(16),
  height: bytes.readUInt32BE(20),
});

/** The `<meta>` values a page's head gives, by property or name. */
function metaOf(html: string): Map<string, string> {
  const meta = new Map<string, string>();
  for (const tag of html.match(/<meta\s[^>]*>/g) ?? []) {
    const key = /(?:property|name)="([^"]+)"/.exec(tag)?.[1];
    const content = /content="([^"]*)"/.exec(tag)?.[1];
    if (key && content !== undefined) meta.set(key, content.replace(/&amp;/g, '&'));
  }
  return meta;
}

/** A card as any reader gets it: a 1200×630 PNG with its ETag, for any cache to keep, whoever asks. */
async function fetchCard(server: RunningServer, path: string, init: RequestInit = {}) {
  const response = await fetch(`${server.url}${path}`, init);
  expect(response.status, path).toBe(200);
  expect(response.headers.get('content-type')).toBe('image/png');
  expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
  expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
  // Not a page: nothing in it depends on the reader's session, and nothing says it does.
  expect(response.headers.get('vary') ?? '').not.toMatch(/cookie/i);
  expect(response.headers.get('set-cookie')).toBeNull();
  expect(response.headers.get('x-clerk-auth-status')).toBeNull();
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(pngFacts(bytes), path).toEqual({ signature: 'PNG', width: 1200, height: 630 });
  return { bytes, etag: response.headers.get('etag')! };
}

it('the build writes no social card into dist/client', () => {
  const cards = listFiles(`${DIST}client`)
    .map((file) => `/${relative(`${DIST}client`, file)}`)
    .filter((path) => path.startsWith(CARD_PREFIX));
  expect(cards).toEqual([]);
});

describe('social cards, drawn on request and kept', () => {
  const cacheDir = join(scratch, 'og');
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ GATEPOST_CARD_CACHE_DIR: cacheDir });
  });
  afterAll(() => server?.stop());

  async function checkPage(path: string, expectedCard: string, altIncludes: string) {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status, path).toBe(200);
    const meta = metaOf(await response.text());
    const image = meta.get('og:image');
    expect(image, `${path} has no og:image`).toBeDefined();
    expect(new URL(image!).pathname).toBe(expectedCard);
    expect(meta.get('og:image:width')).toBe('1200');
    expect(meta.get('og:image:height')).toBe('630');
    expect(meta.get('og:image:type')).toBe('image/png');
    expect(meta.get('og:image:alt')).toContain(altIncludes);
    expect(meta.get('twitter:card')).toBe('summary_large_image');
    expect(meta.get('twitter:image')).toBe(image);
    const { bytes, etag } = await fetchCard(server, expectedCard);
    // Kept in the cache directory under its content key (the ETag).
    expect(readFileSync(join(cacheDir, `${JSON.parse(etag)}.png`)).equals(bytes)).toBe(true);
  }

  it.each(published.map((a) => [a.access, a.slug, a.title] as const))(
    'a %s article (%s) names its own card',
    async (access, slug, title) => {
      const path = access === 'public' ? `/articles/${slug}/` : `/members/${slug}/`;
      await checkPage(path, `/og/articles/${slug}.png`, title);
    },
  );

  it('the home page and every tag page name theirs', async () => {
    await checkPage('/', '/og/home.png', 'Gatepost');
    for (const tag of tags) await checkPage(`/tags/${tag}/`, `/og/tags/${tag}.png`, tag);
  });

  it('a kept card is served from disk, not drawn again; 304 for the ETag the client has; HEAD', async () => {
    const path = `/og/articles/${published[0]!.slug}.png`;
    const { bytes, etag } = await fetchCard(server, path);
    const file = join(cacheDir, `${JSON.parse(etag)}.png`);
    // Back-dated: drawing it again would write a new file (a new modification time).
    const past = new Date('2020-01-01T00:00:00Z');
    utimesSync(file, past, past);
    const again = await fetchCard(server, path, { headers: { cookie: '__session=whoever; __client_uat=1' } });
    expect(again.bytes.equals(bytes)).toBe(true);
    expect(statSync(file).mtime.getTime()).toBe(past.getTime());

    for (const header of [etag, `W/${etag}`, `"an-older-card", ${etag}`]) {
      const notModified = await fetch(`${server.url}${path}`, { headers: { 'if-none-match': header } });
      expect(notModified.status, header).toBe(304);
      expect(notModified.headers.get('etag')).toBe(etag);
      expect(notModified.headers.get('cache-control')).toBe('public, max-age=3600');
      expect(await notModified.text()).toBe('');
    }
    const changed = await fetch(`${server.url}${path}`, { headers: { 'if-none-match': '"an-older-card"' } });
    expect(changed.status).toBe(200);

    const head = await fetch(`${server.url}${path}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('image/png');
    expect(head.headers.get('etag')).toBe(etag);
    expect(await head.text()).toBe('');
  });

  it('no card for a draft or a scheduled article, an unknown article or tag', async () => {
    // The sample site has a draft and a scheduled article; without them this test would prove nothing.
    expect(unpublished.length).toBeGreaterThan(0);
    const paths = [
      ...unpublished.map((article) => `/og/articles/${article.slug}.png`),
      '/og/articles/no-such-article.png',
      '/og/tags/no-such-tag.png',
    ];
    // A draft's tags name no tag page either, unless a published article has them too.
    for (const tag of new Set(unpublished.flatMap((a) => a.tags)))
      if (!tags.includes(tag)) paths.push(`/og/tags/${tag}.png`);
    for (const path of paths) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('cache-control'), path).toBe('no-store');
    }
  });

  it('a bad path is a 4xx, never a 5xx, and never reads outside the cache', async () => {
    const long = 'a'.repeat(5000);
    for (const path of [
      '/og/articles/..%2f.png',
      '/og/articles/..%2F..%2Fetc%2Fpasswd.png',
      '/og/articles/%2e%2e.png',
      '/og/tags/..%5c..%5cx.png',
      `/og/articles/${long}.png`,
      `/og/tags/${long}.png`,
      '/og/articles/%00.png',
      '/og/articles/%ZZ.png',
      '/og/articles/.png',
      '/og/home.png/',
      '/og/../og/home.png/x',
    ]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
    }
    expect(server.output()).not.toMatch(/"level":50/);
  });
});

describe('a full drawing queue', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ GATEPOST_CARD_CACHE_DIR: join(scratch, 'busy'), GATEPOST_CARD_QUEUE_LIMIT: '2' });
  });
  afterAll(() => server?.stop());

  it('answers 503 with Retry-After to cards beyond its bound, and draws them later', async () => {
    const paths = [...published.map((a) => `/og/articles/${a.slug}.png`), ...tags.map((t) => `/og/tags/${t}.png`)];
    expect(paths.length).toBeGreaterThan(8);
    const burst = await Promise.all(paths.map((path) => fetch(`${server.url}${path}`)));
    const refused = burst.filter((response) => response.status === 503);
    expect(refused.length, burst.map((r) => r.status).join(' ')).toBeGreaterThan(0);
    expect(burst.filter((response) => response.status === 200).length).toBeGreaterThan(0);
    expect(burst.every((response) => response.status === 200 || response.status === 503)).toBe(true);
    for (const response of refused) {
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    // Asked one at a time, every card comes.
    for (const path of paths) await fetchCard(server, path);
  });
});

describe('a cache directory the server cannot write', () => {
  // Below a regular file: nobody can create it, root included.
  const blocker = join(scratch, 'a-file');
  const cacheDir = join(blocker, 'og');
  let server: RunningServer;
  beforeAll(async () => {
    writeFileSync(blocker, 'not a directory');
    server = await startServer({ GATEPOST_CARD_CACHE_DIR: cacheDir });
  });
  afterAll(() => server?.stop());

  it('still serves every card (drawn each time) and says so once', async () => {
    const first = await fetchCard(server, '/og/home.png');
    const second = await fetchCard(server, '/og/home.png');
    expect(second.bytes.equals(first.bytes)).toBe(true);
    await fetchCard(server, `/og/tags/${tags[0]}.png`);
    expect(existsSync(cacheDir)).toBe(false);
    const warnings = server
      .output()
      .split('\n')
      .filter((line) => line.includes('social cards cannot be kept'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('GATEPOST_CARD_CACHE_DIR');
  });
});

describe('a deployment: dist/ and node_modules, no src/, no settings', () => {
  const deployment = join(scratch, 'deployment');
  let server: RunningServer;
  beforeAll(async () => {
    cpSync(DIST, join(deployment, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(deployment, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(deployment, 'node_modules'), 'dir');
    server = await startServer({ GATEPOST_DIST_DIR: join(deployment, 'dist'), GATEPOST_CARD_CACHE_DIR: undefined });
  });
  afterAll(() => server?.stop());

  it("draws with the thread program beside the server's and keeps cards in ./.cache/og of its folder", async () => {
    expect(existsSync(join(deployment, 'src'))).toBe(false);
    const { etag } = await fetchCard(server, `/og/articles/${published[0]!.slug}.png`);
    expect(readdirSync(join(deployment, '.cache', 'og'))).toEqual([`${JSON.parse(etag)}.png`]);
  });
});
