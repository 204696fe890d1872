/**
 * Frontmatter rules: the fields are validated with the real `articleSchema` (`src/articles/schema.ts`),
 * each problem at the line of its field, with a fix.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'astro/zod';
import { isMap, isScalar, isSeq } from 'yaml';
import { articleSchema } from '../../schema';
import { ACCESS_LEVELS } from '../../../gate/membership';
import type { Problem } from '../report';
import type { CheckedArticle } from './article';
import { closest } from './closest';

/** What `npm run new` puts in `description`; published articles must not keep it. */
export const PLACEHOLDER_PATTERN = /^\s*TODO\b/i;
/** The line of a frontmatter field (its key, or the list item), walking up the path as far as it exists. */
export function fieldLine(article: CheckedArticle, fieldPath: readonly PropertyKey[]): number | undefined {
  if (!article.doc || article.frontmatterOffset === undefined) return undefined;
  let node: unknown = article.doc.contents;
  let offset: number | undefined;
  for (const segment of fieldPath) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair || !isScalar(pair.key) || !pair.key.range) break;
      offset = pair.key.range[0];
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (!item || !(isScalar(item) || isMap(item) || isSeq(item)) || !item.range) break;
      offset = item.range[0];
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : article.lines.lineAt(article.frontmatterOffset + offset);
}

function valueAt(data: unknown, fieldPath: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of fieldPath) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}
const FIELD_FIXES: Record<string, string> = {
  title: 'write a title of 1 to 140 characters',
  description: 'write a teaser of 20 to 300 characters; it is all that listings, RSS and search show',
  pubDate: 'write the publication date as YYYY-MM-DD, e.g. pubDate: 2026-03-14',
  updatedDate: 'write a date on or after pubDate as YYYY-MM-DD, or remove updatedDate',
  author: "write the author's name, e.g. author: 'Maren Okafor'",
  tags: 'write tags as lowercase words joined by hyphens, e.g. tags: [web-performance, css]',
  access: `write one of: ${ACCESS_LEVELS.join(', ')} (there is no default, on purpose)`,
  draft: 'write draft: true or draft: false',
  featured: 'write featured: true or featured: false',
  cover: 'give the cover a src (./images/<file>) and an alt text, or remove cover',
  'cover.src':
    'put the image in src/content/articles/images/ and write its path relative to the article, e.g. ./images/cover.png',
  'cover.alt': 'describe what the image shows for readers who cannot see it',
};

const EXAMPLE_VALUES: Record<string, string> = {
  title: "title: 'Measuring LCP on slow phones'",
  description: "description: 'What we learned timing forty sites on a five-year-old Android phone.'",
  pubDate: 'pubDate: 2026-03-14',
  author: "author: 'Maren Okafor'",
  access: 'access: public (or members, premium)',
  'cover.src': 'src: ./images/cover.png',
  'cover.alt': "alt: 'What the image shows'",
};

/** The stand-in for Astro's `image()`: a path string whose file must exist next to the article. */
function imageStandIn(articleDir: string) {
  return () =>
    z.string().superRefine((src, context) => {
      if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(src)) return; // remote or data URL: not ours to check
      if (!existsSync(path.resolve(articleDir, src))) {
        context.addIssue({ code: 'custom', message: `image file not found: ${src}` });
      }
    });
}

export function checkFrontmatter(article: CheckedArticle, problems: Problem[]) {
  const base = { file: article.file };
  if (article.frontmatterOffset === undefined) {
    problems.push({
      ...base,
      kind: 'frontmatter-missing',
      line: 1,
      severity: 'error',
      message: 'no frontmatter: the file must start with fields between two lines of ---',
      fix: 'add a frontmatter block at the top (npm run new -- "Title" creates a complete one)',
    });
    return;
  }
  if (article.yamlError) {
    problems.push({
      ...base,
      kind: 'yaml',
      line: article.lines.lineAt(article.frontmatterOffset + article.yamlError.offset),
      severity: 'error',
      message: `frontmatter is not valid YAML: ${article.yamlError.message}`,
      fix: 'write one field per line as `name: value`; quote values that contain a colon followed by a space, or start with a quote, [ or {',
    });
    return;
  }
  if (!article.doc || !article.data) {
    problems.push({
      ...base,
      kind: 'yaml',
      line: article.lines.lineAt(article.frontmatterOffset),
      severity: 'error',
      message: 'frontmatter must be a list of `name: value` fields',
      fix: 'write one field per line, e.g. title: "My article"',
    });
    return;
  }

  const schema = articleSchema({ image: imageStandIn(path.dirname(article.file)) });
  const result = schema.safeParse(article.data);
  if (!result.success) {
    const knownFields = Object.keys(schema.shape);
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        // One problem per unknown field, each at its own line.
        for (const key of issue.keys) {
          const fieldPath = [...issue.path, key];
          const field = fieldPath.map(String).join('.');
          const suggestion = issue.path.length === 0 ? closest(key, knownFields) : undefined;
          const line = fieldLine(article, fieldPath);
          problems.push({
            ...base,
            kind: 'schema',
            ...(line !== undefined && { line }),
            field,
            severity: 'error',
            message: `unknown field "${field}"`,
            fix: suggestion
              ? `did you mean "${suggestion}"? Rename it (unknown fields are rejected so typos cannot slip through)`
              : `remove it; allowed fields are ${knownFields.join(', ')}`,
          });
        }
        continue;
      }
      const field = issue.path.map(String).join('.');
      const line = fieldLine(article, issue.path);
      const missing = issue.path.length > 0 && valueAt(article.data, issue.path) === undefined;
      const generalField = issue.path.filter((segment) => typeof segment !== 'number').join('.');
      const fix = FIELD_FIXES[generalField] ?? FIELD_FIXES[String(issue.path[0])] ?? 'correct the value';
      problems.push({
        ...base,
        kind: 'schema',
        ...(line !== undefined && { line }),
        ...(field && { field }),
        severity: 'error',
        message: missing ? `${field} is missing` : issue.message,
        fix: missing && EXAMPLE_VALUES[generalField] ? `add ${EXAMPLE_VALUES[generalField]}` : fix,
      });
    }
  }

  const description = article.data['description'];
  if (!article.draft && typeof description === 'string' && PLACEHOLDER_PATTERN.test(description)) {
    const line = fieldLine(article, ['description']);
    problems.push({
      ...base,
      kind: 'placeholder',
      ...(line !== undefined && { line }),
      field: 'description',
      severity: 'error',
      message: 'description is still the placeholder from npm run new, and this article is not a draft',
      fix: FIELD_FIXES['description'] ?? 'write a teaser',
    });
  }
}
