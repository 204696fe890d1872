/**
 * A site with more articles than the sample: list pages stay a fixed size however large the archive
 * (windowed pagination), and tags are paginated like the archive. Built from a scratch copy with 70 extra
 * public articles tagged `bulk`.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedSourceArticles } from '../support/articles';
import { buildProject, scratchCopy } from '../support/scratch';
import { ARTICLES_DIR } from '../../src/articles/folder';
import { SITE } from '../../src/site/settings';

const EXTRA = 70;
const PAGE_SIZE = 6;
const lastTagPage = Math.ceil(EXTRA / PAGE_SIZE);
const lastArchivePage = Math.ceil((EXTRA + publishedSourceArticles().length) / PAGE_SIZE);

let dir: string;
let result: { status: number | null; output: string };
const html = (path: string) => readFileSync(join(dir, 'dist/client', path, 'index.html'), 'utf8');
const cards = (page: string) => [...page.matchAll(/data-article="([^"]+)"/g)].map((m) => m[1]!);
const pagination = (page: string) => /<nav aria-label="Pagination"[\s\S]*?<\/nav>/.exec(page)?.[0] ?? '';
const links = (nav: string) => [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);

beforeAll(() => {
  dir = scratchCopy('gatepost-large-archive-');
  for (let i = 1; i <= EXTRA; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const month = String(1 + Math.floor(i / 28)).padStart(2, '0');
    writeFileSync(
      join(dir, ARTICLES_DIR, `bulk-article-${String(i).padStart(2, '0')}.md`),
      `---\ntitle: "Bulk article ${i}"\ndescription: "One of many, to fill the archive."\n` +
        `pubDate: 2025-${month}-${day}\nauthor: "Test"\ntags: [bulk]\naccess: public\n---\n\nBody ${i}.\n`,
    );
  }
  result = buildProject(dir);
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a larger archive', () => {
  it('builds', () => {
    expect(result.status, result.output.slice(-3000)).toBe(0);
  });

  it('paginates a tag: every article once, newest first, six to a page', () => {
    const seen: string[] = [];
    for (let n = 1; n <= lastTagPage; n++) {
      const page = html(n === 1 ? 'tags/bulk' : `tags/bulk/${n}`);
      const slugs = cards(page);
      expect(slugs.length).toBe(n < lastTagPage ? PAGE_SIZE : EXTRA - PAGE_SIZE * (lastTagPage - 1));
      expect(page).toContain(`page ${n} of ${lastTagPage}`);
      seen.push(...slugs);
    }
    expect(seen).toHaveLength(EXTRA);
    expect(new Set(seen).size).toBe(EXTRA);
    expect(seen[0]).toBe(`bulk-article-${EXTRA}`);
  });

  it("links a tag's pages to each other, not to the archive", () => {
    const nav = pagination(html('tags/bulk/2'));
    expect(links(nav)).toContain('/tags/bulk/');
    expect(links(nav)).toContain('/tags/bulk/3/');
    expect(links(nav)).toContain(`/tags/bulk/${lastTagPage}/`);
    expect(links(nav).every((href) => href?.startsWith('/tags/bulk/'))).toBe(true);
  });

  it('shows a window of page links, not one per page', () => {
    const last = lastArchivePage;
    expect(last).toBeGreaterThanOrEqual(11);
    // Page 1: 1 2 3 … last, then "Older".
    expect(links(pagination(html('articles')))).toEqual([
      '/articles/2/',
      '/articles/3/',
      `/articles/${last}/`,
      '/articles/2/',
    ]);
    // Page 7: "Newer", 1 … 5 6 [7] 8 9 … last, "Older".
    const middle = pagination(html('articles/7'));
    expect(middle).toMatch(/aria-current="page"[^>]*>\s*<span class="sr-only">Page <\/span>\s*7/);
    expect(links(middle)).toEqual([
      '/articles/6/',
      '/articles/',
      '/articles/5/',
      '/articles/6/',
      '/articles/8/',
      '/articles/9/',
      `/articles/${last}/`,
      '/articles/8/',
    ]);
    expect(middle.match(/…/g)).toHaveLength(2);
  });

  it('lists every tag page in the sitemap', () => {
    const sitemap = readFileSync(join(dir, 'dist/client/sitemap.xml'), 'utf8');
    for (let n = 2; n <= lastTagPage; n++) expect(sitemap).toContain(`/tags/bulk/${n}/</loc>`);
    expect(sitemap).toContain('/tags/bulk/</loc>');
  });

  it("lists only the newest articles in the RSS feed, in the archive's order; the sitemap keeps them all", () => {
    const rss = readFileSync(join(dir, 'dist/client/rss.xml'), 'utf8');
    const items = [...rss.matchAll(/<item>[\s\S]*?<link>([^<]+)<\/link>/g)].map((m) => new URL(m[1]!).pathname);
    const archive: string[] = [];
    for (let n = 1; archive.length < SITE.feedItems; n++) {
      archive.push(...cards(html(n === 1 ? 'articles' : `articles/${n}`)));
    }
    expect(EXTRA + publishedSourceArticles().length).toBeGreaterThan(SITE.feedItems);
    expect(items).toHaveLength(SITE.feedItems);
    expect(items.map((path) => path.split('/')[2])).toEqual(archive.slice(0, SITE.feedItems));
    const sitemap = readFileSync(join(dir, 'dist/client/sitemap.xml'), 'utf8');
    expect(sitemap).toContain(`/articles/bulk-article-01/</loc>`);
    expect(rss).not.toContain('bulk-article-01/');
  });
});
