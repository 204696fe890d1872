/**
 * Incremental builds (issue 25): a rebuild after editing, deleting and unpublishing articles reuses what
 * is unchanged (Astro's restored pages, the precompressed files and the search index kept by content
 * hash) and gives exactly the bytes of a cold build of the same sources; what it removed is gone from
 * every output. One scratch copy: a cold build, the edits, an incremental build (kept aside), then a cold
 * build again in the same folder (absolute paths are part of the server's output) with the caches removed.
 * Then, in that folder: a build, a build with nothing changed, and one after editing an article with a
 * code block, which must restore every page that does not show that article.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublishedSource, loadCanaries, loadSourceArticles } from '../support/articles';
import { listFiles, scanForLeaks } from '../support/leak-scan';
import { buildProject, scratchCopy } from '../support/scratch';
import { ARTICLES_DIR } from '../../src/articles/folder';
import { SEARCH_INDEX_FILE } from '../../src/search/schema';
import { CARD_PREFIX } from '../../src/site/paths';

const EDITED = 'deciding-what-goes-behind-the-gate';
const NEW_TITLE = 'Deciding what goes behind the gate, revised';
const DELETED = 'focus-styles-that-survive-redesigns';
const DELETED_TITLE = 'Focus styles that survive redesigns';
const UNPUBLISHED = 'session-cookies-done-properly';

let dir: string;
const builds: Record<string, { status: number | null; output: string }> = {};
let incremental: Map<string, string>;
let cold: Map<string, string>;

/**
 * Every file under `root` → sha256 of its bytes. One exception, made explicit: Astro (7.3.5) writes the
 * manifest's list of static assets in server/entry.mjs in the order it rendered or restored the pages
 * that use them; the server reads it as a set, so it is compared sorted.
 */
function snapshot(root: string): Map<string, string> {
  return new Map(
    listFiles(root).map((file) => {
      let bytes: Buffer | string = readFileSync(file);
      if (relative(root, file) === 'server/entry.mjs') {
        bytes = bytes
          .toString()
          .replace(/"assets":\[([^\]]*)\]/, (_all, list: string) => `"assets":[${list.split(',').sort().join(',')}]`);
      }
      return [relative(root, file), createHash('sha256').update(bytes).digest('hex')];
    }),
  );
}

// Astro's key for server islands and actions is new in every cold build unless ASTRO_KEY is set (as a
// deployment with several servers must): fixed here, so that two builds can be compared.
const BUILD_ENV = { ASTRO_KEY: 'kXQ3CawlJo7OdxTUpew252kQdhPOIfQbsrd8mqynsjg=' };

// Beside the copy, not in it: nothing outside the sources may change what a build produces.
const incrementalDist = () => `${dir}-incremental-dist`;
const read = (path: string) => readFileSync(join(incrementalDist(), path), 'utf8');

beforeAll(() => {
  dir = scratchCopy('gatepost-incremental-');
  builds.first = buildProject(dir, BUILD_ENV);
  const articles = join(dir, ARTICLES_DIR);
  const edited = join(articles, `${EDITED}.md`);
  writeFileSync(
    edited,
    readFileSync(edited, 'utf8').replace(/^title: .*$/m, `title: "${NEW_TITLE}"`) + '\nA paragraph added later.\n',
  );
  rmSync(join(articles, `${DELETED}.md`));
  const unpublished = join(articles, `${UNPUBLISHED}.md`);
  writeFileSync(unpublished, readFileSync(unpublished, 'utf8').replace(/^access: /m, 'draft: true\naccess: '));
  builds.incremental = buildProject(dir, BUILD_ENV);
  renameSync(join(dir, 'dist'), incrementalDist());
  incremental = snapshot(incrementalDist());
  rmSync(join(dir, '.cache'), { recursive: true, force: true });
  builds.cold = buildProject(dir, BUILD_ENV);
  cold = snapshot(join(dir, 'dist'));
}, 600_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(incrementalDist(), { recursive: true, force: true });
});

describe('an incremental build', () => {
  it('builds, and reuses what did not change', () => {
    for (const [name, result] of Object.entries(builds))
      expect(result.status, `${name}: ${result.output.slice(-3000)}`).toBe(0);
    // Astro restored unchanged pages; the precompressed files of unchanged pages came from the cache.
    expect(builds.incremental!.output).toMatch(/\/articles\/measuring-lcp-on-slow-phones\/index\.html \(restored\)/);
    const precompressed = /precompressed (\d+) files \((\d+) compressed now/.exec(builds.incremental!.output);
    expect(precompressed).not.toBeNull();
    expect(Number(precompressed![2])).toBeLessThan(Number(precompressed![1]) / 2);
    expect(builds.cold!.output).toMatch(/precompressed (\d+) files \(\1 compressed now/);
  });

  it('gives the same files, byte for byte, as a cold build of the same sources', () => {
    expect(incremental.size).toBeGreaterThan(50);
    expect([...incremental.keys()].sort()).toEqual([...cold.keys()].sort());
    const different = [...incremental].filter(([path, hash]) => cold.get(path) !== hash).map(([path]) => path);
    expect(different).toEqual([]);
  });

  it('neither draws nor restores a social card: the server draws them on request (src/social)', () => {
    expect([...incremental.keys()].filter((path) => path.startsWith(`client${CARD_PREFIX}`))).toEqual([]);
    expect(builds.incremental!.output).not.toContain(CARD_PREFIX);
  });

  it('shows the edited title wherever the article is listed', () => {
    for (const path of ['client/articles/index.html', 'client/tags/editorial/index.html', 'client/rss.xml']) {
      expect(read(path), path).toContain(NEW_TITLE);
      expect(read(path), path).not.toContain('Deciding what goes behind the gate<');
    }
    const db = new DatabaseSync(join(incrementalDist(), 'server', SEARCH_INDEX_FILE), { readOnly: true });
    const row = db.prepare('SELECT title FROM articles WHERE slug = ?').get(EDITED) as { title: string } | undefined;
    db.close();
    expect(row?.title).toBe(NEW_TITLE);
  });

  it('removes a deleted and an unpublished article from every page, feed, sitemap, search and dist/', () => {
    for (const slug of [DELETED, UNPUBLISHED]) {
      for (const base of ['articles', 'members']) {
        for (const suffix of ['', '.br', '.gz']) {
          expect(existsSync(join(incrementalDist(), 'client', base, slug, `index.html${suffix}`))).toBe(false);
        }
      }
      const listings = incremental
        .keys()
        .filter(
          (path) => /^client\/(index\.html|articles\/|tags\/|rss\.xml|sitemap)/.test(path) && !/\.(br|gz)$/.test(path),
        );
      for (const path of listings) {
        expect(read(path), `${path} lists ${slug}`).not.toMatch(
          new RegExp(`data-article="${slug}"|<(link|loc)>[^<]*/${slug}/`),
        );
      }
      // Nor under another article as "Read next" (src/components/RelatedArticles.astro).
      const pages = incremental.keys().filter((path) => path.startsWith('client/articles/') && path.endsWith('.html'));
      for (const path of pages) {
        const related = /<aside[^>]*data-related[^>]*>[\s\S]*?<\/aside>/.exec(read(path))?.[0] ?? '';
        expect(related, `${path} suggests ${slug}`).not.toContain(`/${slug}/`);
      }
      expect(read('client/rss.xml')).not.toContain(`/${slug}/`);
      expect(read('client/sitemap.xml')).not.toContain(`/${slug}/`);
      const db = new DatabaseSync(join(incrementalDist(), 'server', SEARCH_INDEX_FILE), { readOnly: true });
      expect(db.prepare('SELECT count(*) AS n FROM articles WHERE slug = ?').get(slug)).toEqual({ n: 0 });
      db.close();
    }
    // Nothing of the deleted article's title, nor of the unpublished one's member-only text, anywhere.
    const canary = loadCanaries()[UNPUBLISHED]!;
    expect(canary).toBeTruthy();
    const { leaks, filesScanned } = scanForLeaks(incrementalDist(), [canary, DELETED_TITLE]);
    expect(filesScanned).toBeGreaterThan(50);
    expect(leaks).toEqual([]);
  });
});

/**
 * The pages a build listed as written, each with whether Astro restored it from the previous build:
 * its lines read `/articles/x/index.html (restored)` or `/articles/x/index.html (+12ms)`.
 */
function writtenPages(output: string): Map<string, boolean> {
  const pages = new Map<string, boolean>();
  for (const [, path, how] of output.matchAll(/[├└]─ (\/\S+) \((restored|\+[^)]*)\)/g))
    pages.set(path!, how === 'restored');
  return pages;
}

// Shiki adds a default-colour entry in place to a code theme when it first loads it (to highlight a code
// block), and Astro hashes the config, themes included, when it starts prerendering: a build that
// highlighted nothing (its articles all from the content cache) and the next one, which highlights the
// edited article, hashed different configs, and the edit restored no page (src/articles/code-themes.ts).
describe('a build after one that changed nothing, with one article with a code block edited', () => {
  const CODE_ARTICLE = 'the-case-for-system-font-stacks';
  let unchanged: { status: number | null; output: string };
  let edited: { status: number | null; output: string };
  let mentionsEdited: (page: string) => boolean;
  /** The public article pages the unchanged build wrote (each must be restored). */
  let articlePages: string[];

  beforeAll(() => {
    // The same folder as above. Drafts and scheduled articles are never kept in the content cache, so every
    // build renders them again, and one with a code block would load the themes in every build and hide
    // the problem: removed, so each build here highlights only what changed.
    const articles = join(dir, ARTICLES_DIR);
    for (const article of loadSourceArticles(`${articles}/`)) {
      if (!isPublishedSource(article)) rmSync(join(articles, article.file));
    }
    const first = buildProject(dir, BUILD_ENV);
    expect(first.status, first.output.slice(-3000)).toBe(0);
    unchanged = buildProject(dir, BUILD_ENV);
    const previous = join(dir, 'dist/client');
    articlePages = listFiles(join(previous, 'articles'))
      .map((file) => `/${relative(previous, file)}`)
      .filter((path) => /^\/articles\/[a-z0-9-]+\/index\.html$/.test(path));
    mentionsEdited = (page) => {
      const file = join(previous, page);
      return existsSync(file) && readFileSync(file, 'utf8').includes(`/articles/${CODE_ARTICLE}/`);
    };
    const file = join(articles, `${CODE_ARTICLE}.md`);
    const source = readFileSync(file, 'utf8');
    expect(source).toMatch(/^```\w+$/m);
    writeFileSync(file, `${source}\nA paragraph added later.\n`);
    edited = buildProject(dir, BUILD_ENV);
  }, 600_000);

  it('restores every article page when nothing changed', () => {
    expect(unchanged.status, unchanged.output.slice(-3000)).toBe(0);
    const pages = [...writtenPages(unchanged.output)].filter(([path]) =>
      /^\/articles\/[a-z0-9-]+\/index\.html$/.test(path),
    );
    // Every public article's page (gated ones are rendered on request, cards drawn on request).
    expect(articlePages.length).toBeGreaterThan(3);
    expect(pages.map(([path]) => path).sort()).toEqual([...articlePages].sort());
    expect(pages.filter(([, restored]) => !restored).map(([path]) => path)).toEqual([]);
  });

  it('renders the edited article again and restores the pages that do not show it', () => {
    expect(edited.status, edited.output.slice(-3000)).toBe(0);
    const pages = writtenPages(edited.output);
    expect(pages.get(`/articles/${CODE_ARTICLE}/index.html`)).toBe(false);
    const unrelated = [...pages].filter(
      ([path]) =>
        /^\/articles\/[a-z0-9-]+\/index\.html$/.test(path) &&
        !path.startsWith(`/articles/${CODE_ARTICLE}/`) &&
        !mentionsEdited(path),
    );
    // Other articles' pages (those whose "Read next" does not list it).
    expect(unrelated.length).toBeGreaterThan(2);
    expect(unrelated.filter(([, restored]) => !restored).map(([path]) => path)).toEqual([]);
  });
});
