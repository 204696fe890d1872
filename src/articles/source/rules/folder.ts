/** Rules across the articles of the folder: file names, duplicate slugs, tags spelt in different ways. */
import path from 'node:path';
import { TAG_PATTERN } from '../../schema';
import { slugify } from '../../slug';
import type { Problem } from '../report';
import type { CheckedArticle } from './article';
import { fieldLine } from './frontmatter';

/** A clean file name: the same shape as a tag, lowercase words joined by hyphens. */
const SLUG_PATTERN = TAG_PATTERN;
export function checkFileNames(articles: CheckedArticle[], problems: Problem[]) {
  const bySlug = new Map<string, CheckedArticle[]>();
  for (const article of articles) {
    bySlug.set(article.slug, [...(bySlug.get(article.slug) ?? []), article]);
    const base = path.posix.basename(article.rel, '.md');
    if (!SLUG_PATTERN.test(base)) {
      problems.push({
        kind: 'file-name',
        file: article.file,
        severity: 'warning',
        message: `the file name "${base}" is not lowercase words joined by hyphens, and it becomes the URL`,
        fix: slugify(base)
          ? `rename it to ${slugify(base)}.md (and update links to it)`
          : 'rename it to lowercase words joined by hyphens',
      });
    }
    if (article.rel.includes('/')) {
      problems.push({
        kind: 'subfolder',
        file: article.file,
        severity: 'warning',
        message: `article in a subfolder: Astro gives it the id "${article.rel.replace(/\.md$/, '').toLowerCase()}", but article URLs have one segment (/articles/<slug>/)`,
        fix: `move it directly into the articles folder as ${path.posix.basename(article.rel)}`,
      });
    }
  }
  for (const [slug, group] of bySlug) {
    if (group.length < 2) continue;
    for (const article of group) {
      const others = group.filter((other) => other !== article).map((other) => other.rel);
      problems.push({
        kind: 'duplicate-slug',
        file: article.file,
        severity: 'error',
        message: `slug "${slug}" is also used by ${others.join(', ')}: only one of them would be published`,
        fix: 'rename one of the files (file names are URLs: they must differ in more than letter case or folder)',
      });
    }
  }
}

/** Tags that differ only by case or separators, e.g. `web-performance`, `webperformance`, `Web-Performance`. */
export function checkTagVariants(articles: CheckedArticle[], problems: Problem[]) {
  interface Use {
    article: CheckedArticle;
    index: number;
  }
  const groups = new Map<string, Map<string, Use[]>>();
  for (const article of articles) {
    const tags = article.data?.['tags'];
    if (!Array.isArray(tags)) continue;
    tags.forEach((tag: unknown, index) => {
      if (typeof tag !== 'string') return;
      const key = tag.toLowerCase().replace(/[\s_.\-–]+/g, '');
      const spellings = groups.get(key) ?? new Map<string, Use[]>();
      spellings.set(tag, [...(spellings.get(tag) ?? []), { article, index }]);
      groups.set(key, spellings);
    });
  }
  for (const spellings of groups.values()) {
    if (spellings.size < 2) continue;
    const ranked = [...spellings.entries()].sort(
      ([a, usesA], [b, usesB]) =>
        usesB.length - usesA.length ||
        Number(TAG_PATTERN.test(b)) - Number(TAG_PATTERN.test(a)) ||
        b.split('-').length - a.split('-').length ||
        (a < b ? -1 : 1),
    );
    const [preferred] = ranked[0] ?? [''];
    const summary = ranked.map(([tag, uses]) => {
      const files = uses.map((use) => use.article.rel);
      const shown = files.length > 3 ? [...files.slice(0, 3), `${files.length - 3} more`] : files;
      return `"${tag}" (${shown.join(', ')})`;
    });
    for (const [tag, uses] of ranked.slice(1)) {
      for (const { article, index } of uses) {
        const line = fieldLine(article, ['tags', index]);
        problems.push({
          kind: 'tag-variant',
          file: article.file,
          ...(line !== undefined && { line }),
          field: `tags.${index}`,
          severity: 'warning',
          message: `tag "${tag}" differs from another spelling only by case or separators, which splits one topic across several tag pages: ${summary.join(', ')}`,
          fix: `use "${preferred}" like the other articles`,
        });
      }
    }
  }
}
