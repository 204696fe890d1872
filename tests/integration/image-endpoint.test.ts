/**
 * Issue 11, probe finding 3: `/_image` (used at run time by server-rendered member articles) refuses
 * bad parameters with a 400 instead of a 500, and still serves the images real pages ask for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedSourceArticles } from '../support/articles';
import { startServer, type RunningServer } from '../support/server';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

/** The `/_image` URLs (src and srcset) of the first gated article page that has any. */
async function imageUrlsOfAGatedPage(): Promise<{ page: string; urls: string[] }> {
  for (const article of publishedSourceArticles().filter((a) => a.access !== 'public')) {
    const page = `/members/${article.slug}/`;
    const html = await (await fetch(server.url + page)).text();
    const attrs = [...html.matchAll(/<img\b[^>]*>/g)].flatMap(([tag]) =>
      [...tag.matchAll(/\b(?:src|srcset)="([^"]+)"/g)].map(([, value]) => value!.replaceAll('&amp;', '&')),
    );
    const urls = attrs.flatMap((value) => value.split(/,\s*/).map((entry) => entry.trim().split(/\s+/)[0]!));
    const images = urls.filter((url) => url.startsWith('/_image?'));
    if (images.length > 0) return { page, urls: [...new Set(images)] };
  }
  throw new Error('no gated article page has an /_image URL: this test no longer covers what it should');
}

describe('/_image', () => {
  it('serves every image URL a server-rendered member article uses', async () => {
    const { urls } = await imageUrlsOfAGatedPage();
    for (const url of urls) {
      const response = await fetch(server.url + url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type'), url).toMatch(/^image\//);
      expect((await response.arrayBuffer()).byteLength, url).toBeGreaterThan(100);
    }
  });

  it('answers 400, never 5xx, to bad parameters', async () => {
    const { urls } = await imageUrlsOfAGatedPage();
    const good = new URL(urls[0]!, server.url);
    const href = good.searchParams.get('href')!;
    const variant = (changes: Record<string, string>) => {
      const url = new URL(good);
      for (const [name, value] of Object.entries(changes)) url.searchParams.set(name, value);
      return url.pathname + url.search;
    };
    const bad = [
      variant({ w: '-1' }),
      variant({ q: '-5' }),
      variant({ h: '-1' }),
      variant({ w: '0' }),
      variant({ w: '12abc' }),
      variant({ w: '100000000' }),
      variant({ q: '101' }),
      variant({ f: 'bogus' }),
      variant({ fit: 'bogus' }),
      variant({ position: 'zzz' }),
      variant({ background: 'zzz' }),
      variant({ href: '/' + 'a'.repeat(299) }),
      variant({ href: '/_astro/' + 'b'.repeat(292) + '.png' }),
      variant({ href: '/_astro/../../server/entry.mjs' }),
      variant({ href: '//evil.example/x.png' }),
      variant({ unknown: '1' }),
      `/_image?w=100`,
      `/_image?href=${encodeURIComponent(href)}&w=100&w=200`,
    ];
    for (const path of bad) {
      const response = await fetch(server.url + path);
      expect(response.status, path).toBe(400);
      expect(await response.text(), path).toMatch(/^Bad image request: /);
    }
  });

  it('answers 404 to a well-formed path that is not a built image', async () => {
    const response = await fetch(`${server.url}/_image?href=${encodeURIComponent('/_astro/missing.png')}&w=100`);
    expect(response.status).toBe(404);
  });
});
