/**
 * The rules of `npm run check:content`, one function per kind of mistake. They mirror the site's own:
 * - the frontmatter is validated with the real `articleSchema` (`src/lib/article-schema.ts`);
 * - the preview ends where `findMarker` (`src/articles/marker.ts`) says, as for the site itself;
 * - public articles live at `/articles/<slug>/`, gated ones at `/members/<slug>/` (`src/lib/paths.ts`);
 * - drafts and articles dated in the future are not published (`src/lib/publish.ts`).
 * Links, images and markers come from the Markdown as the renderer parses it (`./markdown.ts`), so
 * examples in code or comments are never taken for them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'astro/zod';
import { isMap, isScalar, isSeq, type Document } from 'yaml';
import { articleSchema, TAG_PATTERN } from '../../lib/article-schema';
import { ACCESS_LEVELS, isGated, type AccessLevel } from '../../lib/membership';
import { articlePath } from '../../lib/paths';
import { slugify } from '../../cli/slug';
import { MEMBERS_ONLY_MARKER, type MarkerScan } from '../marker';
import type { MarkdownScan } from './markdown';
import type { ArticleSource } from './reader';
import type { Problem, Severity } from './report';

export interface CheckOptions {
  /** "Now" for scheduled (future-dated) articles; defaults to the current time. */
  now?: Date;
  /** Folder that serves absolute image paths such as `/img/a.png` (the site's `public/`); unchecked if unset. */
  publicDir?: string;
}

/** An article file as the rules see it. */
export interface CheckedArticle {
  source: ArticleSource;
  rel: string;
  /** The article file: the checked directory joined with `rel`. */
  file: string;
  slug: string;
  lines: ArticleSource['lines'];
  /** Offset of the frontmatter text (after the opening `---`) in the file, when there is frontmatter. */
  frontmatterOffset?: number;
  /** The parsed YAML document, when it parsed. */
  doc?: Document;
  /** The first YAML error (offset within the frontmatter text), when it did not. */
  yamlError?: { offset: number; message: string };
  /** The raw frontmatter values, when they parsed to a mapping. */
  data?: Record<string, unknown>;
  access?: AccessLevel;
  draft: boolean;
  pubDate?: Date;
  scan: MarkdownScan;
  markers: MarkerScan;
}

/** What `npm run new` puts in `description`; published articles must not keep it. */
export const PLACEHOLDER_PATTERN = /^\s*TODO\b/i;

/** A clean file name: the same shape as a tag, lowercase words joined by hyphens. */
const SLUG_PATTERN = TAG_PATTERN;

/** The site's URL of an article (the scheme lives in src/lib/paths.ts). */
export function articleUrl(slug: string, access: AccessLevel): string {
  return articlePath({ id: slug, data: { access } });
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The candidate closest to `word`, if it is close enough to be a likely typo. */
function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = levenshtein(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? best : undefined;
}

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

export function checkMarkers(article: CheckedArticle, problems: Problem[]) {
  const base = { file: article.file };
  const { marker: found, extra, misplaced, inCode, mistyped } = article.markers;
  const marker = MEMBERS_ONLY_MARKER;
  const lineOf = (place: { line: number }) => article.source.bodyLine(place.line);

  for (const comment of mistyped) {
    problems.push({
      ...base,
      kind: 'marker-mistyped',
      line: lineOf(comment),
      severity: 'warning',
      message: `"${comment.text}" looks like the members-only marker but is not one, so it does not end the preview`,
      fix: `write it exactly as ${marker}`,
    });
  }

  const gated = article.access !== undefined && isGated(article.access);
  // Marker text that ends nothing: inside a paragraph, list, quote or other HTML.
  misplaced.forEach((place, index) => {
    const alone = gated && !found && index === 0;
    problems.push({
      ...base,
      kind: 'marker-placement',
      line: lineOf(place),
      severity: alone ? 'error' : 'warning',
      message: alone
        ? `the ${marker} marker is not a block of its own (it sits inside a paragraph, list, quote or HTML), so it does not end the preview: readers would see only the description`
        : 'marker text that is not a block of its own: it ends nothing',
      fix: `put ${marker} on a line of its own, at the start, with blank lines around it`,
    });
  });

  if (gated && !found && misplaced.length === 0) {
    const [code] = inCode;
    if (code) {
      const where = article.scan.code.find((c) => c.start === code.start)?.inline ? 'inline code' : 'a code block';
      problems.push({
        ...base,
        kind: 'marker-in-code',
        line: lineOf(code),
        severity: 'error',
        message: `the only ${marker} marker is inside ${where}, where it is shown as text and does not end the preview: readers would see only the description`,
        fix: `add a line ${marker} outside the code, with blank lines around it, where the public preview should end`,
      });
    } else {
      const line = fieldLine(article, ['access']);
      problems.push({
        ...base,
        kind: 'marker-missing',
        ...(line !== undefined && { line }),
        severity: 'error',
        message: `access is ${article.access} but there is no ${marker} marker: readers would see only the description`,
        fix: `add a line ${marker}, with blank lines around it, where the public preview should end`,
      });
    }
  }
  const first = found ?? misplaced[0];
  if (article.access === 'public' && first) {
    problems.push({
      ...base,
      kind: 'marker-in-public',
      line: lineOf(first),
      severity: 'warning',
      message: `public article with a ${marker} marker: everyone reads all of it anyway`,
      fix: 'remove the marker, or set access: members or premium if the rest is for members',
    });
  }
  for (const place of extra) {
    problems.push({
      ...base,
      kind: 'marker-multiple',
      line: lineOf(place),
      severity: 'warning',
      message: `more than one ${marker} marker: only the first one ends the preview`,
      fix: 'remove the extra marker',
    });
  }
}

export function checkLinks(article: CheckedArticle, bySlug: Map<string, CheckedArticle>, now: Date, problems: Problem[]) {
  // A draft is not published yet, so its broken links are warnings until it is.
  const severity: Severity = article.draft ? 'warning' : 'error';
  const base = { file: article.file, kind: 'link' as const, severity };
  for (const { url, line: bodyLine } of article.scan.links) {
    const match = /^\/(articles|members)\/([^/?#]+)\/?([?#].*)?$/.exec(url);
    if (!match) continue;
    const section = match[1] ?? '';
    const slug = match[2] ?? '';
    const suffix = match[3] ?? '';
    if (section === 'articles' && /^\d+$/.test(slug)) continue; // /articles/2/ is a page of the index
    const line = article.source.bodyLine(bodyLine);
    const targetArticle = bySlug.get(slug) ?? bySlug.get(slug.toLowerCase());
    if (!targetArticle) {
      const guess = closest(slug, bySlug.keys());
      const guessed = guess ? bySlug.get(guess) : undefined;
      problems.push({
        ...base,
        line,
        message: `link to ${url}: there is no article "${slug}"`,
        fix: guessed?.access
          ? `did you mean ${articleUrl(guessed.slug, guessed.access)}${suffix}?`
          : 'check the slug (the article file name without .md) or remove the link',
      });
      continue;
    }
    const rightUrl = targetArticle.access ? `${articleUrl(targetArticle.slug, targetArticle.access)}${suffix}` : '';
    if (slug !== targetArticle.slug) {
      problems.push({
        ...base,
        line,
        message: `link to ${url}: slugs are lowercase, the article is "${targetArticle.slug}"`,
        fix: rightUrl ? `link to ${rightUrl} instead` : `use the slug ${targetArticle.slug}`,
      });
      continue;
    }
    if (targetArticle.draft) {
      problems.push({
        ...base,
        line,
        message: `link to ${url}: "${targetArticle.rel}" is a draft, so the link leads to a 404 page`,
        fix: `publish ${targetArticle.rel} first (draft: false), or remove the link for now`,
      });
      continue;
    }
    if (targetArticle.access) {
      const expected = isGated(targetArticle.access) ? 'members' : 'articles';
      if (section !== expected) {
        problems.push({
          ...base,
          line,
          message: `link to ${url}: "${targetArticle.rel}" is a ${targetArticle.access} article, so it lives under /${expected}/ and this link leads to a 404 page`,
          fix: `link to ${rightUrl} instead`,
        });
        continue;
      }
    }
    const ownDate = article.pubDate && article.pubDate > now ? article.pubDate : now;
    if (targetArticle.pubDate && targetArticle.pubDate > ownDate) {
      const date = targetArticle.pubDate.toISOString().slice(0, 10);
      problems.push({
        ...base,
        severity: 'warning',
        line,
        message: `link to ${url}: "${targetArticle.rel}" is scheduled for ${date}, so the link leads to a 404 page until then`,
        fix: `publish this article on or after ${date}, or bring the other article's pubDate forward`,
      });
    }
  }
}

export function checkImages(article: CheckedArticle, options: CheckOptions, problems: Problem[]) {
  const base = { file: article.file, severity: 'error' as const };
  for (const image of article.scan.images) {
    const line = article.source.bodyLine(image.line);
    const written = image.url;
    const name = written ? ` (${written})` : '';
    if (!image.alt?.trim()) {
      problems.push({
        ...base,
        kind: 'image-alt',
        line,
        message: `image${name} has no alt text, so readers using a screen reader do not know what it shows`,
        fix: 'describe what the image shows: ![What it shows](./images/file.png) or <img alt="What it shows" …>',
      });
    }
    if (!written || /^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i.test(written)) continue;
    let src = written.replace(/[?#].*$/, '');
    try {
      src = decodeURI(src);
    } catch {
      // keep it as written
    }
    let resolved: string | undefined;
    if (src.startsWith('/')) resolved = options.publicDir ? path.join(options.publicDir, src) : undefined;
    else resolved = path.resolve(path.dirname(article.file), src);
    if (resolved && !existsSync(resolved)) {
      problems.push({
        ...base,
        kind: 'image-missing',
        line,
        message: `image file not found: ${written}`,
        fix: src.startsWith('/')
          ? 'put the file in public/ or correct the path'
          : 'put the image in src/content/articles/images/ and write its path relative to the article, e.g. ./images/chart.png',
      });
    }
  }
}

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

