import { z } from 'astro/zod';
import { describe, expect, it } from 'vitest';
import { articleSchema } from '../../src/articles/schema';

// Stand-in for Astro's image(): the real one resolves the file; here any path string is an image.
const schema = articleSchema({ image: () => z.string() });

const valid = {
  title: 'Measuring LCP on slow phones',
  description: 'What we learned timing forty sites on a five-year-old Android phone.',
  pubDate: '2026-03-14',
  author: 'Ada Example',
  tags: ['web-performance'],
  access: 'members',
};

function issuesOf(data: unknown) {
  const result = schema.safeParse(data);
  expect(result.success).toBe(false);
  return result.error!.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('article frontmatter schema', () => {
  it('accepts a complete article and fills defaults', () => {
    const data = schema.parse({ ...valid, cover: { src: './images/a.png', alt: 'A chart' } });
    expect(data.pubDate).toEqual(new Date('2026-03-14'));
    expect(data.draft).toBe(false);
    expect(data.featured).toBe(false);
    expect(data.cover).toEqual({ src: './images/a.png', alt: 'A chart' });
  });

  it('requires an explicit access level (no silent default to public)', () => {
    const { access: _omit, ...withoutAccess } = valid;
    expect(issuesOf(withoutAccess)).toEqual([
      { path: 'access', message: 'access must be one of: public, members, premium' },
    ]);
  });

  it('rejects unknown access levels', () => {
    expect(issuesOf({ ...valid, access: 'paid' })[0]).toMatchObject({ path: 'access' });
  });

  it('rejects unknown fields such as a misspelt key', () => {
    const issues = issuesOf({ ...valid, acess: 'premium' });
    expect(issues[0]!.message).toMatch(/acess/);
  });

  it.each([
    [{ title: '' }, 'title', 'title must not be empty'],
    [{ description: 'Too short' }, 'description', 'description must be at least 20 characters'],
    [{ pubDate: 'next tuesday' }, 'pubDate', 'pubDate must be a date'],
    [{ author: '  ' }, 'author', 'author must not be empty'],
    [{ tags: ['Web Performance'] }, 'tags.0', 'lowercase words joined by hyphens'],
    [{ draft: 'yes' }, 'draft', ''],
    [{ updatedDate: '2026-01-01' }, 'updatedDate', 'updatedDate must not be before pubDate'],
    [{ cover: { src: './a.png' } }, 'cover.alt', ''],
    [{ cover: { src: './a.png', alt: ' ' } }, 'cover.alt', 'cover.alt must describe the image'],
  ])('rejects %j at %s', (override, path, message) => {
    const issues = issuesOf({ ...valid, ...override });
    expect(issues[0]!.path).toBe(path);
    expect(issues[0]!.message).toContain(message);
  });
});
