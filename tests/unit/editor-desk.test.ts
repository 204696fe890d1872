import { describe, expect, it } from 'vitest';
import { parseSourceArticle } from '../../src/editor/source-articles';

const text = (access: string) =>
  `---\ntitle: A title\ndescription: A description long enough for the teaser.\nauthor: Ada\npubDate: 2026-01-01\naccess: ${access}\ntags: [astro]\n---\n\nBody.\n`;

describe('editor desk rows from source files', () => {
  it('key the preview by file but link to the slug the article is published under', () => {
    const article = parseSourceArticle('Pricing Notes.md', text('public'));
    expect(article.slug).toBe('Pricing Notes');
    expect(article.id).toBe('pricing-notes');
    expect(article.state).toBe('published');
  });
});
