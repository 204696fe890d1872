/**
 * Every article (public or gated), the home page and each tag page names its social card with Open
 * Graph's image, width, height and alt, and Twitter's large card; each card is a 1200×630 PNG the built
 * server sends like any static image. Against the production build (`npm test` builds first).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedSourceArticles } from '../support/articles';
import { DIST } from '../support/paths';
import { startServer, type RunningServer } from '../support/server';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const published = publishedSourceArticles();
const tags = [...new Set(published.flatMap((a) => a.tags))];

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

  const png = await fetch(`${server.url}${expectedCard}`);
  expect(png.status, expectedCard).toBe(200);
  expect(png.headers.get('content-type')).toBe('image/png');
  const bytes = Buffer.from(await png.arrayBuffer());
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1200, 630]);
  // The same file the build wrote.
  expect(bytes.equals(readFileSync(`${DIST}client${expectedCard}`))).toBe(true);
}

describe('social cards', () => {
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

  it('no card for a draft or a scheduled article', async () => {
    const unpublished = publishedSourceArticles(new Date(8640000000000000)).filter(
      (a) => !published.some((p) => p.slug === a.slug),
    );
    // The sample site has a draft and a scheduled article; without them this test would prove nothing.
    expect(unpublished.length).toBeGreaterThan(0);
    for (const article of unpublished) {
      expect((await fetch(`${server.url}/og/articles/${article.slug}.png`)).status, article.slug).toBe(404);
    }
  });
});
