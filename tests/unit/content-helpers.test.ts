import { describe, expect, it } from 'vitest';
import { feedArticles, toFeedItem } from '../../src/site/feed';
import { SITE } from '../../src/site/settings';
import type { AccessLevel } from '../../src/gate/membership';
import {
  articlePath,
  articlesPagePath,
  editorPreviewPath,
  isAuthPath,
  routeBase,
  signInHref,
  tagPath,
} from '../../src/site/paths';
import { isPublished } from '../../src/articles/publish';
import { renderSitemap } from '../../src/site/sitemap';
import { sortNewestFirst } from '../../src/site/sorting';
import { groupByTag } from '../../src/site/tags';

const entry = (id: string, pubDate: string, tags: string[] = [], access: AccessLevel = 'public') => ({
  id,
  data: { pubDate: new Date(pubDate), tags, access, title: `Title ${id}`, description: `About ${id}` },
});

describe('isPublished', () => {
  const now = new Date('2026-06-01T12:00:00Z');

  it('publishes a non-draft whose date has passed', () => {
    expect(isPublished({ draft: false, pubDate: new Date('2026-05-31') }, now)).toBe(true);
  });

  it('publishes exactly at the publication instant, not a millisecond before', () => {
    const pubDate = new Date('2026-06-01T12:00:00Z');
    expect(isPublished({ draft: false, pubDate }, now)).toBe(true);
    expect(isPublished({ draft: false, pubDate }, new Date(now.getTime() - 1))).toBe(false);
  });

  it('holds back future articles and drafts', () => {
    expect(isPublished({ draft: false, pubDate: new Date('2026-06-02') }, now)).toBe(false);
    expect(isPublished({ draft: true, pubDate: new Date('2020-01-01') }, now)).toBe(false);
  });
});

describe('sortNewestFirst', () => {
  it('orders by date descending, ties by slug, without mutating its input', () => {
    const input = [entry('b', '2026-01-01'), entry('c', '2026-03-01'), entry('a', '2026-01-01')];
    const sorted = sortNewestFirst(input);
    expect(sorted.map((e) => e.id)).toEqual(['c', 'a', 'b']);
    expect(input.map((e) => e.id)).toEqual(['b', 'c', 'a']);
  });
});

describe('groupByTag', () => {
  it('groups articles under each of their tags, tags alphabetically, articles newest first', () => {
    const groups = groupByTag([
      entry('old', '2026-01-01', ['css', 'astro']),
      entry('new', '2026-05-01', ['astro']),
      entry('dup', '2026-02-01', ['css', 'css']),
    ]);
    expect(groups.map((g) => [g.tag, g.entries.map((e) => e.id)])).toEqual([
      ['astro', ['new', 'old']],
      ['css', ['dup', 'old']],
    ]);
  });

  it('returns nothing for untagged articles', () => {
    expect(groupByTag([entry('x', '2026-01-01')])).toEqual([]);
  });
});

describe('paths', () => {
  it('sends gated articles to the members section and public ones to /articles/', () => {
    expect(articlePath(entry('open', '2026-01-01', [], 'public'))).toBe('/articles/open/');
    expect(articlePath(entry('club', '2026-01-01', [], 'members'))).toBe('/members/club/');
    expect(articlePath(entry('paid', '2026-01-01', [], 'premium'))).toBe('/members/paid/');
  });

  it('builds index and tag paths', () => {
    expect(articlesPagePath(1)).toBe('/articles/');
    expect(articlesPagePath(3)).toBe('/articles/3/');
    expect(tagPath('web-performance')).toBe('/tags/web-performance/');
    expect(tagPath('web-performance', 1)).toBe('/tags/web-performance/');
    expect(tagPath('web-performance', 2)).toBe('/tags/web-performance/2/');
  });

  it('builds editor, account and sign-in links', () => {
    expect(editorPreviewPath('draft-one')).toBe('/editor/preview/draft-one/');
    expect(editorPreviewPath('draft-one', 'premium')).toBe('/editor/preview/draft-one/?as=premium');
    expect(signInHref('/members/x/')).toBe('/sign-in/?redirect_url=%2Fmembers%2Fx%2F');
    expect(routeBase('/account/')).toBe('/account');
    expect(routeBase('/')).toBe('/');
  });

  it('knows the sign-in and sign-up pages and nothing that merely starts like them', () => {
    for (const path of ['/sign-in', '/sign-in/', '/sign-in/factor-one', '/sign-up', '/sign-up/verify']) {
      expect(isAuthPath(path), path).toBe(true);
    }
    for (const path of ['/', '/sign-ins', '/sign-in-help/', '/account/', '/members/sign-in/']) {
      expect(isAuthPath(path), path).toBe(false);
    }
  });
});

describe('toFeedItem', () => {
  it('describes an article by its metadata only', () => {
    const item = toFeedItem(entry('paid', '2026-04-01', ['astro'], 'premium'));
    expect(item).toEqual({
      title: 'Title paid',
      description: 'About paid',
      link: '/members/paid/',
      pubDate: new Date('2026-04-01'),
      categories: ['astro'],
    });
  });
});

describe('feedArticles', () => {
  it('lists the newest articles only, in order, however large the archive', () => {
    const day = (i: number) => new Date(Date.UTC(2026, 0, 1) - i * 86_400_000).toISOString().slice(0, 10);
    const published = sortNewestFirst(Array.from({ length: SITE.feedItems + 25 }, (_, i) => entry(`a${i}`, day(i))));
    const listed = feedArticles(published);
    expect(listed.map((article) => article.id)).toEqual(Array.from({ length: SITE.feedItems }, (_, i) => `a${i}`));
    expect(feedArticles(published.slice(0, 3)).map((article) => article.id)).toEqual(['a0', 'a1', 'a2']);
  });
});

describe('renderSitemap', () => {
  it('writes absolute, escaped URLs with optional lastmod', () => {
    const xml = renderSitemap(
      [{ path: '/' }, { path: '/tags/a&b/', lastmod: new Date('2026-02-03T10:00:00Z') }],
      new URL('https://example.com'),
    );
    expect(xml).toContain('<url><loc>https://example.com/</loc></url>');
    expect(xml).toContain('<url><loc>https://example.com/tags/a&amp;b/</loc><lastmod>2026-02-03</lastmod></url>');
    expect(xml.startsWith('<?xml')).toBe(true);
  });
});
