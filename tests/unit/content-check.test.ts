import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findMarker } from '../../src/articles/marker';
import { checkContent, type CheckOptions } from '../../src/articles/source/check';
import { scanMarkdown } from '../../src/articles/source/markdown';
import { listArticleFiles } from '../../src/articles/source/reader';
import { formatReport, summarize, type Problem } from '../../src/articles/source/report';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/content-check');
const NOW = new Date('2026-06-01T00:00:00Z');

/** The problems of one fixture folder, reduced to what the tests pin down (file relative to the folder). */
function problemsIn(fixture: string, options: CheckOptions = {}) {
  const dir = path.join(FIXTURES, fixture);
  return checkContent(dir, { now: NOW, ...options }).map((problem) => summary(dir, problem));
}

function summary(dir: string, { kind, file, line, field, severity }: Problem) {
  return { kind, file: path.relative(dir, file).split(path.sep).join('/'), line, field, severity };
}

describe('checkContent on fixtures', () => {
  it('finds nothing in a correct folder (code, comments, external links and index pages are not checked)', () => {
    expect(problemsIn('valid')).toEqual([]);
  });

  it('ignores files whose name starts with an underscore', () => {
    expect(listArticleFiles(path.join(FIXTURES, 'valid'))).toEqual(['members-deep-dive.md', 'public-guide.md']);
  });

  it('says why a folder cannot be listed instead of finding no articles in it', () => {
    expect(() => listArticleFiles(path.join(FIXTURES, 'no-such-folder'))).toThrow(
      expect.objectContaining({ code: 'ENOENT' }),
    );
  });

  it('reports one schema problem per zod issue, with field and line', () => {
    expect(problemsIn('schema')).toEqual([
      { kind: 'schema', file: 'missing-fields.md', line: undefined, field: 'pubDate', severity: 'error' },
      { kind: 'schema', file: 'missing-fields.md', line: undefined, field: 'author', severity: 'error' },
      { kind: 'schema', file: 'missing-fields.md', line: 3, field: 'description', severity: 'error' },
      { kind: 'schema', file: 'wrong-values.md', line: 6, field: 'tags.1', severity: 'error' },
      { kind: 'schema', file: 'wrong-values.md', line: 7, field: 'access', severity: 'error' },
      { kind: 'schema', file: 'wrong-values.md', line: 8, field: 'featrued', severity: 'error' },
      { kind: 'schema', file: 'wrong-values.md', line: 10, field: 'cover.src', severity: 'error' },
    ]);
  });

  it('explains schema problems with the schema message and a fix', () => {
    const problems = checkContent(path.join(FIXTURES, 'schema'), { now: NOW });
    const byField = new Map(problems.map((problem) => [problem.field, problem]));
    expect(byField.get('access')?.message).toBe('access must be one of: public, members, premium');
    expect(byField.get('featrued')?.message).toBe('unknown field "featrued"');
    expect(byField.get('featrued')?.fix).toMatch(/did you mean "featured"/);
    expect(byField.get('cover.src')?.message).toBe('image file not found: ./images/missing.png');
    expect(byField.get('pubDate')?.message).toBe('pubDate is missing');
    expect(byField.get('pubDate')?.fix).toBe('add pubDate: 2026-03-14');
  });

  it('reports unparsable YAML at its line, and a missing frontmatter', () => {
    expect(problemsIn('yaml')).toEqual([
      { kind: 'yaml', file: 'broken-yaml.md', line: 5, field: undefined, severity: 'error' },
      { kind: 'frontmatter-missing', file: 'no-frontmatter.md', line: 1, field: undefined, severity: 'error' },
    ]);
  });

  it('reports the same slug in a subfolder', () => {
    expect(problemsIn('duplicate-slug')).toEqual([
      { kind: 'duplicate-slug', file: 'intro.md', line: undefined, field: undefined, severity: 'error' },
      { kind: 'duplicate-slug', file: 'sub/intro.md', line: undefined, field: undefined, severity: 'error' },
      { kind: 'subfolder', file: 'sub/intro.md', line: undefined, field: undefined, severity: 'warning' },
    ]);
  });

  describe('slugs that differ only by letter case', () => {
    let dir = '';
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('are duplicates too (created at run time: case-insensitive file systems cannot hold both)', () => {
      dir = mkdtempSync(path.join(tmpdir(), 'content-check-'));
      const article = (title: string) =>
        `---\ntitle: '${title}'\ndescription: 'A fixture article for the content checker tests.'\npubDate: 2026-01-12\nauthor: 'Ada Example'\naccess: public\n---\n\nBody.\n`;
      writeFileSync(path.join(dir, 'intro.md'), article('Intro'));
      try {
        writeFileSync(path.join(dir, 'Intro.md'), article('Intro again'), { flag: 'wx' });
      } catch {
        return; // this file system ignores case, so the clash cannot happen here
      }
      expect(checkContent(dir, { now: NOW }).map((problem) => summary(dir, problem))).toEqual([
        { kind: 'duplicate-slug', file: 'Intro.md', line: undefined, field: undefined, severity: 'error' },
        { kind: 'file-name', file: 'Intro.md', line: undefined, field: undefined, severity: 'warning' },
        { kind: 'duplicate-slug', file: 'intro.md', line: undefined, field: undefined, severity: 'error' },
      ]);
    });
  });

  it('warns about a file name that is not a clean slug, suggesting one', () => {
    expect(problemsIn('file-name')).toEqual([
      { kind: 'file-name', file: 'My_First Article.md', line: undefined, field: undefined, severity: 'warning' },
    ]);
    const [problem] = checkContent(path.join(FIXTURES, 'file-name'));
    expect(problem?.fix).toMatch(/my-first-article\.md/);
  });

  it('rejects a gated article without the members-only marker', () => {
    expect(problemsIn('marker-missing')).toEqual([
      { kind: 'marker-missing', file: 'gated-without-marker.md', line: 7, field: undefined, severity: 'error' },
    ]);
    const [problem] = checkContent(path.join(FIXTURES, 'marker-missing'));
    expect(problem?.message).toMatch(/readers would see only the description/);
  });

  it('rejects a gated article whose only marker is inside a code fence, at the fence line', () => {
    expect(problemsIn('marker-in-code')).toEqual([
      { kind: 'marker-in-code', file: 'fenced-marker.md', line: 13, field: undefined, severity: 'error' },
    ]);
    const [problem] = checkContent(path.join(FIXTURES, 'marker-in-code'));
    expect(problem?.message).toMatch(/inside a code block, where it is shown as text and does not end the preview/);
  });

  it('warns about a marker in a public article', () => {
    expect(problemsIn('marker-in-public')).toEqual([
      { kind: 'marker-in-public', file: 'public-with-marker.md', line: 12, field: undefined, severity: 'warning' },
    ]);
  });

  it('warns about a second marker', () => {
    expect(problemsIn('marker-multiple')).toEqual([
      { kind: 'marker-multiple', file: 'two-markers.md', line: 16, field: undefined, severity: 'warning' },
    ]);
  });

  it('warns about a mistyped marker, which also leaves the article without one', () => {
    expect(problemsIn('marker-mistyped')).toEqual([
      { kind: 'marker-missing', file: 'mistyped-marker.md', line: 7, field: undefined, severity: 'error' },
      { kind: 'marker-mistyped', file: 'mistyped-marker.md', line: 12, field: undefined, severity: 'warning' },
    ]);
  });

  it('rejects a gated article whose only marker is in the middle of a paragraph (it ends nothing)', () => {
    expect(problemsIn('marker-placement')).toEqual([
      { kind: 'marker-placement', file: 'inline-marker.md', line: 10, field: undefined, severity: 'error' },
    ]);
  });

  it('reports broken links between articles and suggests the right URL', () => {
    const dir = path.join(FIXTURES, 'links');
    const problems = checkContent(dir, { now: NOW });
    expect(problems.map((problem) => summary(dir, problem))).toEqual([
      // Links in a draft are warnings: it is not published yet.
      { kind: 'link', file: 'draft-target.md', line: 11, field: undefined, severity: 'warning' },
      { kind: 'link', file: 'linking.md', line: 10, field: undefined, severity: 'error' },
      { kind: 'link', file: 'linking.md', line: 11, field: undefined, severity: 'error' },
      { kind: 'link', file: 'linking.md', line: 12, field: undefined, severity: 'error' },
      { kind: 'link', file: 'linking.md', line: 13, field: undefined, severity: 'error' },
      { kind: 'link', file: 'linking.md', line: 14, field: undefined, severity: 'error' },
      { kind: 'link', file: 'linking.md', line: 15, field: undefined, severity: 'error' },
      { kind: 'link', file: 'linking.md', line: 16, field: undefined, severity: 'warning' },
      { kind: 'link', file: 'linking.md', line: 17, field: undefined, severity: 'error' },
      { kind: 'link', file: 'linking.md', line: 23, field: undefined, severity: 'error' },
    ]);
    const fixes = new Map(problems.map((problem) => [problem.line, problem]));
    expect(fixes.get(10)?.message).toMatch(/no article "no-such-article"/);
    expect(fixes.get(11)?.fix).toBe('did you mean /articles/public-target/?');
    expect(fixes.get(12)?.message).toMatch(/is a draft/);
    expect(fixes.get(13)?.fix).toBe('link to /articles/public-target/ instead');
    expect(fixes.get(14)?.fix).toBe('link to /members/gated-target/#part-two instead');
    expect(fixes.get(15)?.fix).toBe('link to /articles/public-target/ instead');
    expect(fixes.get(16)?.message).toMatch(/scheduled for 2099-01-01/);
    expect(fixes.get(23)?.fix).toBe('link to /members/gated-target/ instead');
  });

  it('does not warn about a scheduled article once its date has come', () => {
    const problems = problemsIn('links', { now: new Date('2099-01-02T00:00:00Z') });
    expect(problems.filter((problem) => problem.line === 16)).toEqual([]);
  });

  it('reports images without alt text and image files that do not exist', () => {
    expect(problemsIn('images')).toEqual([
      { kind: 'image-alt', file: 'pictures.md', line: 10, field: undefined, severity: 'error' },
      { kind: 'image-missing', file: 'pictures.md', line: 12, field: undefined, severity: 'error' },
      { kind: 'image-alt', file: 'pictures.md', line: 14, field: undefined, severity: 'error' },
      { kind: 'image-alt', file: 'pictures.md', line: 16, field: undefined, severity: 'error' },
    ]);
  });

  it('checks absolute image paths against the public folder when given one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'content-check-'));
    try {
      writeFileSync(
        path.join(dir, 'absolute.md'),
        "---\ntitle: 'Absolute'\ndescription: 'A fixture article for the content checker tests.'\npubDate: 2026-01-12\nauthor: 'Ada Example'\naccess: public\n---\n\n![A logo](/img/logo.png)\n",
      );
      expect(checkContent(dir)).toEqual([]);
      expect(checkContent(dir, { publicDir: dir }).map((problem) => summary(dir, problem))).toEqual([
        { kind: 'image-missing', file: 'absolute.md', line: 9, field: undefined, severity: 'error' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('warns about tags that differ only by case or separators, listing the files', () => {
    const dir = path.join(FIXTURES, 'tag-variants');
    const problems = checkContent(dir, { now: NOW });
    expect(problems.map((problem) => summary(dir, problem))).toEqual([
      // "Web-Performance" is also not a valid tag at all.
      { kind: 'schema', file: 'fourth.md', line: 6, field: 'tags.0', severity: 'error' },
      { kind: 'tag-variant', file: 'fourth.md', line: 6, field: 'tags.0', severity: 'warning' },
      { kind: 'tag-variant', file: 'third.md', line: 6, field: 'tags.1', severity: 'warning' },
    ]);
    const variant = problems.find((problem) => problem.kind === 'tag-variant');
    expect(variant?.message).toContain('"web-performance" (first.md, second.md)');
    expect(variant?.message).toContain('"webperformance" (third.md)');
    expect(variant?.message).toContain('"Web-Performance" (fourth.md)');
    expect(variant?.fix).toBe('use "web-performance" like the other articles');
  });

  it('rejects the placeholder description of npm run new in a published article', () => {
    expect(problemsIn('placeholder')).toEqual([
      { kind: 'placeholder', file: 'kept-placeholder.md', line: 3, field: 'description', severity: 'error' },
    ]);
  });
});

describe('the real articles', () => {
  it('have no errors', () => {
    const errors = checkContent(path.resolve(import.meta.dirname, '../../src/content/articles')).filter(
      (problem) => problem.severity === 'error',
    );
    expect(errors).toEqual([]);
  });
});

describe('markers', () => {
  it.each([
    ['Intro\n\n<!-- members-only -->\n\nRest', 1],
    ['<!--members-only-->', 1],
    ['<!--  MEMBERS-ONLY  -->', 1],
    ['<!-- members only -->', 0],
    ['`<!-- members-only -->` in inline code', 0],
    ['```html\n<!-- members-only -->\n```', 0],
    ['~~~\n<!-- members-only -->\n~~~', 0],
    ['    <!-- members-only -->', 0],
    ['a\n\n<!-- members-only -->\n\nb\n\n<!-- members-only -->', 2],
  ])('counts markers as the site finds them, code included: %j', (body, count) => {
    const { marker, extra } = findMarker(body);
    expect((marker ? 1 : 0) + extra.length).toBe(count);
    // The checker takes its markers from the same function as the loader and the desk.
    const gated = `---\ntitle: 'T'\ndescription: 'A fixture article for the content checker tests.'\npubDate: 2026-01-12\nauthor: 'A'\naccess: members\n---\n\n${body}\n`;
    const dir = mkdtempSync(path.join(tmpdir(), 'content-check-'));
    try {
      writeFileSync(path.join(dir, 'a.md'), gated);
      const errors = checkContent(dir, { now: NOW }).filter((problem) => problem.severity === 'error');
      expect(errors.length > 0).toBe(count === 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds links and images outside code and comments only, at their lines', () => {
    const body =
      'a `[x](/articles/y/)` b\n~~~\n[x](/articles/y/)\n~~~\n<!-- [c](/articles/z/) -->\n\n[d](/articles/w/)';
    const scan = scanMarkdown(body);
    expect(scan.links.map((link) => [link.url, link.line])).toEqual([['/articles/w/', 7]]);
  });
});

describe('report', () => {
  const problems: Problem[] = [
    {
      kind: 'schema',
      file: 'src/content/articles/x.md',
      line: 4,
      field: 'access',
      severity: 'error',
      message: 'access must be one of: public, members, premium',
      fix: 'write one of: public, members, premium',
    },
    {
      kind: 'marker-multiple',
      file: 'src/content/articles/x.md',
      line: 30,
      severity: 'warning',
      message: 'more than one marker',
      fix: 'remove the extra marker',
    },
  ];

  it('prints one line per problem, grouped by file, and a summary', () => {
    expect(formatReport(problems, 15).split('\n')).toEqual([
      'src/content/articles/x.md:4   error    access           access must be one of: public, members, premium  → fix: write one of: public, members, premium',
      'src/content/articles/x.md:30  warning  marker-multiple  more than one marker  → fix: remove the extra marker',
      '',
      '1 error, 1 warning in 15 articles',
    ]);
  });

  it('counts errors and warnings', () => {
    expect(summarize([], 1)).toBe('0 errors, 0 warnings in 1 article');
  });
});
