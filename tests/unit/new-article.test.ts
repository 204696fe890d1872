import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { findMarker } from '../../src/articles/marker';
import { checkContent } from '../../src/articles/source/check';
import { parseArticleSource } from '../../src/articles/source/reader';

/** Markers in an article file, as the site finds them (the first one and any extra). */
const countMarkers = (text: string) => {
  const { marker, extra } = findMarker(parseArticleSource('article.md', text).body);
  return (marker ? 1 : 0) + extra.length;
};
import { createArticle, main, slugify, UserError } from '../../src/cli/new-article';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'new-article-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

const base = { author: 'Ada Example', today: '2026-03-14' };

describe('slugify', () => {
  it.each([
    ['Measuring LCP on slow phones', 'measuring-lcp-on-slow-phones'],
    ['  Crème brûlée: a Q&A  ', 'creme-brulee-a-q-and-a'],
    ["Don't panic — it's only CSS!", 'dont-panic-its-only-css'],
    ['Straße, Ørsted & Œuvre', 'strasse-orsted-and-oeuvre'],
    ['Новая статья', ''],
  ])('%j → %j', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });
});

describe('createArticle', () => {
  it('creates a public draft whose frontmatter the checker accepts', () => {
    const file = createArticle({
      ...base,
      title: 'Measuring LCP on slow phones',
      dir,
      tags: 'web-performance, mobile',
    });
    expect(file).toBe(path.join(dir, 'measuring-lcp-on-slow-phones.md'));
    expect(checkContent(dir)).toEqual([]);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('title: "Measuring LCP on slow phones"\n');
    expect(text).toContain('pubDate: 2026-03-14\n');
    expect(text).toContain('author: "Ada Example"\n');
    expect(text).toContain('tags: [web-performance, mobile]\n');
    expect(text).toContain('access: public\n');
    expect(text).toContain('draft: true\n');
    expect(text).toMatch(/description: "TODO: replace this placeholder/);
    expect(countMarkers(text)).toBe(0);
  });

  it.each(['members', 'premium'])('puts the marker, explained, into a %s article', (access) => {
    const file = createArticle({ ...base, title: 'Deep dive', access, dir });
    expect(checkContent(dir)).toEqual([]);
    const text = readFileSync(file, 'utf8');
    expect(countMarkers(text)).toBe(1);
    expect(text).toMatch(
      /<!-- Everything above the marker below is the public preview[\s\S]*-->\n\n<!-- members-only -->\n/,
    );
    expect(text).toContain(`access: ${access}\n`);
  });

  it('dates the article today by default', () => {
    const file = createArticle({ title: 'Today', author: 'Ada Example', dir });
    const now = new Date();
    const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
    expect(readFileSync(file, 'utf8')).toContain(`pubDate: ${today}\n`);
  });

  it('keeps titles with quotes and colons valid YAML', () => {
    createArticle({ ...base, title: 'Q&A: "quotes", colons: and #hashes', dir });
    expect(checkContent(dir)).toEqual([]);
  });

  it('refuses to overwrite an existing article', () => {
    const file = path.join(dir, 'taken.md');
    writeFileSync(file, 'original');
    expect(() => createArticle({ ...base, title: 'Taken', dir })).toThrow(UserError);
    expect(() => createArticle({ ...base, title: 'Taken', dir })).toThrow(file);
    expect(readFileSync(file, 'utf8')).toBe('original');
  });

  it('refuses a slug that an article in a subfolder already uses (it would clash on the site)', () => {
    mkdirSync(path.join(dir, 'archive'));
    writeFileSync(path.join(dir, 'archive', 'other.md'), 'original');
    expect(() => createArticle({ ...base, title: 'Other', dir })).toThrow(
      `${path.join(dir, 'archive', 'other.md')} already exists`,
    );
    expect(readdirSync(dir)).toEqual(['archive']);
  });

  it.each([
    [{ tags: 'Web Performance' }, /Invalid tag "Web Performance" \(try "web-performance"\)/],
    [{ tags: ['css', 'CSS_Grid'] }, /Invalid tag "CSS_Grid"/],
    [{ access: 'paid' }, /Unknown access level "paid"\. Use one of: public, members, premium\./],
    [{ title: '   ' }, /Give the article a title/],
    [{ title: 'Новая статья' }, /gives an empty URL slug/],
    [{ title: 'x'.repeat(141) }, /title must be at most 140 characters/],
    [{ slug: 'Not A Slug' }, /Invalid slug/],
  ])('rejects %j', (override, message) => {
    expect(() => createArticle({ ...base, title: 'A title', dir, ...override })).toThrow(message);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('accepts a slug of its own for titles without one', () => {
    const file = createArticle({ ...base, title: 'Новая статья', slug: 'new-article', dir });
    expect(path.basename(file)).toBe('new-article.md');
    expect(checkContent(dir)).toEqual([]);
  });
});

describe('main', () => {
  it('creates the file and prints its path and the next steps (exit 0)', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const code = main(['Deep dive', '--access', 'members', '--tags', 'css', '--author', 'Ada Example'], dir);
    expect(code).toBe(0);
    const output = log.mock.calls.flat().join('\n');
    expect(output).toContain(`Created ${path.join(dir, 'deep-dive.md')}`);
    expect(output).toContain('npm run dev');
    expect(output).toContain('draft: false');
    expect(output).toContain('/members/deep-dive/');
  });

  it('exits 1 with a message for user errors, and on overwrite', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(main(['Deep dive', '--access', 'paid', '--author', 'Ada'], dir)).toBe(1);
    expect(main(['Deep dive', '--author', 'Ada'], dir)).toBe(0);
    expect(main(['Deep dive', '--author', 'Ada'], dir)).toBe(1);
    expect(main(['--nope'], dir)).toBe(1);
    expect(main([], dir)).toBe(1);
    expect(error.mock.calls.flat().join('\n')).toMatch(/deep-dive\.md already exists/);
  });

  it('prints usage for --help', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(main(['--help'], dir)).toBe(0);
    expect(log.mock.calls.flat().join('\n')).toMatch(/^Usage: npm run new -- "Title"/);
  });
});
