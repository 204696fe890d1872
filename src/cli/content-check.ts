/**
 * The content checker behind `npm run check:content`: finds the mistakes in `src/content/articles/` that
 * the build either rejects with a terse message or, worse, accepts (a gated article without its marker,
 * a link to a draft, an image without alt text). Pure apart from reading the files, so it is unit-tested
 * against small fixture folders (`tests/unit/content-check.test.ts`).
 *
 * The rules mirror the site's own:
 * - articles are `**\/[^_]*.md` below the folder (see `src/content.config.ts`), the file name is the slug;
 * - the frontmatter is validated with the real `articleSchema` (`src/lib/article-schema.ts`);
 * - the preview ends at the members-only marker (`src/lib/preview.ts`), only the first marker counts;
 * - public articles live at `/articles/<slug>/`, gated ones at `/members/<slug>/` (`src/lib/paths.ts`);
 * - drafts and articles dated in the future are not published (`src/lib/publish.ts`).
 *
 * Markdown is scanned with regular expressions, not a full parser: fenced code blocks, inline code and
 * HTML comments are blanked out first, so examples in code are never taken for links, images or markers.
 * Indented (four-space) code blocks are not recognised.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'astro/zod';
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { articleSchema, TAG_PATTERN } from '../articles/schema';
import { findFrontmatter } from '../lib/frontmatter';
import { ACCESS_LEVELS, isAccessLevel, isGated, type AccessLevel } from '../gate/membership';
import { articlePath } from '../site/paths';
import { MARKER_PATTERN, MEMBERS_ONLY_MARKER } from '../lib/preview';
import { slugify } from './slug';

export type Severity = 'error' | 'warning';

/** What kind of problem it is; stable identifiers for tests and `--json` consumers. */
export type ProblemKind =
  | 'frontmatter-missing' // no frontmatter block at all
  | 'yaml' // the frontmatter is not valid YAML (or not a list of fields)
  | 'schema' // a zod issue from articleSchema
  | 'placeholder' // a published article still has the `npm run new` placeholder description
  | 'duplicate-slug' // two files give the same slug
  | 'file-name' // the file name is not a clean slug
  | 'subfolder' // an article below a subfolder: Astro's id would contain a slash
  | 'marker-missing' // gated article without the members-only marker
  | 'marker-in-public' // marker in a public article
  | 'marker-multiple' // more than one marker
  | 'marker-mistyped' // a comment that looks like the marker but is not
  | 'marker-placement' // the marker is not on a line of its own
  | 'link' // broken internal link between articles
  | 'image-alt' // image without alt text
  | 'image-missing' // image file does not exist
  | 'tag-variant'; // the same tag spelt differently across articles

export interface Problem {
  kind: ProblemKind;
  /** The article file: the checked directory joined with its path inside it. */
  file: string;
  /** 1-based line in the file, when the problem has a place. */
  line?: number;
  /** Frontmatter field path such as `cover.alt`, for frontmatter problems. */
  field?: string;
  severity: Severity;
  message: string;
  /** What to do about it, in one sentence. */
  fix: string;
}

export interface CheckOptions {
  /** "Now" for scheduled (future-dated) articles; defaults to the current time. */
  now?: Date;
  /** Folder that serves absolute image paths such as `/img/a.png` (the site's `public/`); unchecked if unset. */
  publicDir?: string;
}

/** The marker as `preview.ts` recognises it (spacing and letter case forgiven); a test keeps the two in step. */
const MARKER_GLOBAL = new RegExp(MARKER_PATTERN.source, 'gi');

/** What `npm run new` puts in `description`; published articles must not keep it. */
export const PLACEHOLDER_PATTERN = /^\s*TODO\b/i;

/** A clean file name: the same shape as a tag, lowercase words joined by hyphens. */
const SLUG_PATTERN = TAG_PATTERN;

// ---------------------------------------------------------------------------------------------------
// Files

/** Article files below `dir`, as sorted forward-slash paths relative to it (what Astro's glob loads). */
export function listArticleFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (relDir: string) => {
    const entries = readdirSync(path.join(dir, relDir), { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile() && entry.name.endsWith('.md') && !entry.name.startsWith('_')) found.push(rel);
    }
  };
  walk('');
  return found.sort();
}

/**
 * The slug a file name gives: like Astro's (github-slugger) for file names, lowercased, spaces to hyphens,
 * punctuation other than hyphens and underscores dropped.
 */
export function slugOfFile(rel: string): string {
  const base = path.posix.basename(rel, '.md');
  return base
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The site's URL of an article (the scheme lives in src/lib/paths.ts). */
export function articleUrl(slug: string, access: AccessLevel): string {
  return articlePath({ id: slug, data: { access } });
}

// ---------------------------------------------------------------------------------------------------
// Small text helpers

/** Offsets → 1-based line numbers. */
class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  lineAt(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }
}

/** Replace every character except line breaks with spaces, so offsets and line numbers survive. */
const blank = (text: string) => text.replace(/[^\r\n]/g, ' ');

/** Blank out fenced code blocks (``` or ~~~, any indentation) and inline code spans. */
export function maskCode(markdown: string): string {
  let fence: { char: string; length: number } | null = null;
  const lines = markdown.split('\n').map((line) => {
    const match = /^\s*(`{3,}|~{3,})(.*)$/.exec(line);
    const run = match?.[1] ?? '';
    const rest = match?.[2] ?? '';
    if (fence) {
      if (match && run[0] === fence.char && run.length >= fence.length && rest.trim() === '') fence = null;
      return blank(line);
    }
    // A backtick fence's info string may not contain backticks (then it is inline code, not a fence).
    if (match && !(run[0] === '`' && rest.includes('`'))) {
      fence = { char: run[0] ?? '`', length: run.length };
      return blank(line);
    }
    return line;
  });
  // Inline code: a run of backticks up to the next run of the same length, within one paragraph.
  return lines
    .join('\n')
    .replace(/(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\r?\n)[\s\S])*?)(?<!`)\1(?!`)/g, (code) => blank(code));
}

/** Blank out HTML comments (after `maskCode`): links and images inside them are not rendered. */
export function maskComments(markdown: string): string {
  return markdown.replace(/<!--[\s\S]*?-->/g, (comment) => blank(comment));
}

/** Markers outside code, as the rendered HTML would contain them. */
export function countMarkers(markdown: string): number {
  return maskCode(markdown).match(MARKER_GLOBAL)?.length ?? 0;
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

// ---------------------------------------------------------------------------------------------------
// Parsing one article

interface Article {
  rel: string;
  file: string;
  slug: string;
  text: string;
  lines: LineIndex;
  /** Offset of the frontmatter text (after the opening `---`) in `text`, when there is frontmatter. */
  frontmatterOffset?: number;
  /** The parsed YAML document, when it parsed. */
  doc?: Document;
  /** The first YAML error (offset within the frontmatter text), when it did not. */
  yamlError?: { offset: number; message: string };
  /** The raw frontmatter values, when they parsed to a mapping. */
  data?: Record<string, unknown>;
  /** Offset where the Markdown body starts. */
  bodyOffset: number;
  access?: AccessLevel;
  draft: boolean;
  pubDate?: Date;
}

function readArticle(dir: string, rel: string): Article {
  const text = readFileSync(path.join(dir, rel), 'utf8');
  const article: Article = {
    rel,
    file: path.join(dir, rel),
    slug: slugOfFile(rel),
    text,
    lines: new LineIndex(text),
    bodyOffset: 0,
    draft: false,
  };
  const block = findFrontmatter(text);
  if (!block) return article;
  article.frontmatterOffset = block.yamlOffset;
  article.bodyOffset = block.bodyOffset;
  const doc = parseDocument(block.yaml, { uniqueKeys: true });
  const [error] = doc.errors;
  if (error) {
    // The parser's message names its own position, relative to the frontmatter: the problem's line replaces it.
    const message = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    article.yamlError = { offset: error.pos[0], message };
    return article;
  }
  article.doc = doc;
  let data: unknown;
  try {
    data = doc.toJS();
  } catch {
    return article; // e.g. an alias to nothing; reported as a YAML problem
  }
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    article.data = data as Record<string, unknown>;
    const { access, draft, pubDate } = article.data;
    if (isAccessLevel(access)) article.access = access;
    article.draft = draft === true;
    const date = pubDate instanceof Date ? pubDate : new Date(String(pubDate));
    if (pubDate !== undefined && !Number.isNaN(date.getTime())) article.pubDate = date;
  }
  return article;
}

/** The line of a frontmatter field (its key, or the list item), walking up the path as far as it exists. */
function fieldLine(article: Article, fieldPath: readonly PropertyKey[]): number | undefined {
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

// ---------------------------------------------------------------------------------------------------
// Frontmatter checks

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

function checkFrontmatter(article: Article, problems: Problem[]) {
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

// ---------------------------------------------------------------------------------------------------
// Body checks

interface BodyScan {
  /** Body with code blanked out (markers are looked for here). */
  code: string;
  /** Body with code and comments blanked out (links and images are looked for here). */
  prose: string;
  /** Line of an offset in the body. */
  lineAt(offset: number): number;
}

function scanBody(article: Article): BodyScan {
  const body = article.text.slice(article.bodyOffset);
  const code = maskCode(body);
  return {
    code,
    prose: maskComments(code),
    lineAt: (offset) => article.lines.lineAt(article.bodyOffset + offset),
  };
}

function checkMarkers(article: Article, scan: BodyScan, problems: Problem[]) {
  const base = { file: article.file };
  const markers = [...scan.code.matchAll(MARKER_GLOBAL)];
  const marker = MEMBERS_ONLY_MARKER;

  for (const comment of scan.code.matchAll(/<!--([\s\S]*?)-->/g)) {
    const words = (comment[1] ?? '').toLowerCase().replace(/[^a-z]/g, '');
    if (/^members?only$/.test(words) && !MARKER_PATTERN.test(comment[0])) {
      problems.push({
        ...base,
        kind: 'marker-mistyped',
        line: scan.lineAt(comment.index),
        severity: 'warning',
        message: `"${comment[0]}" looks like the members-only marker but is not one, so it does not end the preview`,
        fix: `write it exactly as ${marker}`,
      });
    }
  }

  if (article.access && isGated(article.access) && markers.length === 0) {
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
  if (article.access === 'public' && markers[0]) {
    problems.push({
      ...base,
      kind: 'marker-in-public',
      line: scan.lineAt(markers[0].index),
      severity: 'warning',
      message: `public article with a ${marker} marker: everyone reads all of it anyway`,
      fix: 'remove the marker, or set access: members or premium if the rest is for members',
    });
  }
  for (const extra of markers.slice(1)) {
    problems.push({
      ...base,
      kind: 'marker-multiple',
      line: scan.lineAt(extra.index),
      severity: 'warning',
      message: `more than one ${marker} marker: only the first one ends the preview`,
      fix: 'remove the extra marker',
    });
  }
  for (const found of markers) {
    const lineStart = scan.code.lastIndexOf('\n', found.index - 1) + 1;
    const lineEnd = scan.code.indexOf('\n', found.index);
    const lineText = scan.code.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
    if (lineText.trim() !== found[0] || found.index - lineStart > 3) {
      problems.push({
        ...base,
        kind: 'marker-placement',
        line: scan.lineAt(found.index),
        severity: 'warning',
        message: 'the marker is not on a line of its own: the preview could end in the middle of a paragraph',
        fix: `put ${marker} on its own line, at the start, with blank lines around it`,
      });
    }
  }
}

/** Markdown links, reference definitions and HTML hrefs, with the offset of each. */
function findLinks(prose: string): { url: string; offset: number }[] {
  const links: { url: string; offset: number }[] = [];
  const text = String.raw`(?:[^\[\]]|\[[^\[\]]*\])*`;
  const destination = String.raw`(<[^>\n]*>|(?:[^\s()]|\([^\s()]*\))+)`;
  const inline = new RegExp(
    String.raw`(?<!!)\[${text}\]\(\s*${destination}(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)`,
    'g',
  );
  for (const match of prose.matchAll(inline)) links.push({ url: match[1] ?? '', offset: match.index });
  for (const match of prose.matchAll(/^ {0,3}\[[^\]]+\]:\s*(<[^>\n]*>|\S+)/gm)) {
    links.push({ url: match[1] ?? '', offset: match.index });
  }
  for (const match of prose.matchAll(/<a\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/gi)) {
    links.push({ url: match[1] ?? match[2] ?? match[3] ?? '', offset: match.index });
  }
  return links.map((link) => ({ ...link, url: link.url.replace(/^<|>$/g, '') }));
}

function checkLinks(article: Article, scan: BodyScan, bySlug: Map<string, Article>, now: Date, problems: Problem[]) {
  // A draft is not published yet, so its broken links are warnings until it is.
  const severity: Severity = article.draft ? 'warning' : 'error';
  const base = { file: article.file, kind: 'link' as const, severity };
  for (const { url, offset } of findLinks(scan.prose)) {
    const match = /^\/(articles|members)\/([^/?#]+)\/?([?#].*)?$/.exec(url);
    if (!match) continue;
    const section = match[1] ?? '';
    const slug = match[2] ?? '';
    const suffix = match[3] ?? '';
    if (section === 'articles' && /^\d+$/.test(slug)) continue; // /articles/2/ is a page of the index
    const line = scan.lineAt(offset);
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

interface ImageRef {
  src?: string;
  alt: string | undefined;
  offset: number;
}

function findImages(prose: string): ImageRef[] {
  const images: ImageRef[] = [];
  const definitions = new Map<string, string>();
  for (const match of prose.matchAll(/^ {0,3}\[([^\]]+)\]:\s*(<[^>\n]*>|\S+)/gm)) {
    const label = (match[1] ?? '').trim().toLowerCase();
    if (!definitions.has(label)) definitions.set(label, (match[2] ?? '').replace(/^<|>$/g, ''));
  }
  const alt = String.raw`((?:[^\[\]]|\[[^\[\]]*\])*)`;
  const destination = String.raw`(<[^>\n]*>|(?:[^\s()]|\([^\s()]*\))+)`;
  const inline = new RegExp(String.raw`!\[${alt}\]\(\s*${destination}(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)`, 'g');
  for (const match of prose.matchAll(inline)) {
    images.push({ alt: match[1], src: (match[2] ?? '').replace(/^<|>$/g, ''), offset: match.index });
  }
  // Reference images: ![alt][label], ![alt][] and ![alt] (when "alt" is a defined label).
  for (const match of prose.matchAll(new RegExp(String.raw`!\[${alt}\](?:\[([^\]]*)\])?(?!\()`, 'g'))) {
    const label = (match[2] || match[1] || '').trim().toLowerCase();
    const src = definitions.get(label);
    if (src === undefined && match[2] === undefined) continue; // plain text such as "![not an image]"
    images.push({ alt: match[1], ...(src !== undefined && { src }), offset: match.index });
  }
  for (const match of prose.matchAll(/<img\b[^>]*>/gi)) {
    const tag = match[0];
    const attribute = (name: string) => {
      const found = new RegExp(String.raw`\s${name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>\x60]+))`, 'i').exec(tag);
      return found ? (found[1] ?? found[2] ?? found[3] ?? '') : undefined;
    };
    const src = attribute('src');
    images.push({ alt: attribute('alt'), ...(src !== undefined && { src }), offset: match.index });
  }
  return images.sort((a, b) => a.offset - b.offset);
}

function checkImages(article: Article, scan: BodyScan, options: CheckOptions, problems: Problem[]) {
  const base = { file: article.file, severity: 'error' as const };
  for (const image of findImages(scan.prose)) {
    const line = scan.lineAt(image.offset);
    const name = image.src ? ` (${image.src})` : '';
    if (!image.alt?.trim()) {
      problems.push({
        ...base,
        kind: 'image-alt',
        line,
        message: `image${name} has no alt text, so readers using a screen reader do not know what it shows`,
        fix: 'describe what the image shows: ![What it shows](./images/file.png) or <img alt="What it shows" …>',
      });
    }
    if (!image.src || /^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i.test(image.src)) continue;
    let src = image.src.replace(/[?#].*$/, '');
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
        message: `image file not found: ${image.src}`,
        fix: src.startsWith('/')
          ? 'put the file in public/ or correct the path'
          : 'put the image in src/content/articles/images/ and write its path relative to the article, e.g. ./images/chart.png',
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Checks across articles

function checkFileNames(articles: Article[], problems: Problem[]) {
  const bySlug = new Map<string, Article[]>();
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
function checkTagVariants(articles: Article[], problems: Problem[]) {
  interface Use {
    article: Article;
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

// ---------------------------------------------------------------------------------------------------

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1 };

/** Check every article below `dir`. Returns the problems, sorted by file and line. */
export function checkContent(dir: string, options: CheckOptions = {}): Problem[] {
  const now = options.now ?? new Date();
  const articles = listArticleFiles(dir).map((rel) => readArticle(dir, rel));
  const problems: Problem[] = [];

  checkFileNames(articles, problems);
  const bySlug = new Map<string, Article>();
  for (const article of articles) if (!bySlug.has(article.slug)) bySlug.set(article.slug, article);

  for (const article of articles) {
    checkFrontmatter(article, problems);
    const scan = scanBody(article);
    checkMarkers(article, scan, problems);
    checkLinks(article, scan, bySlug, now, problems);
    checkImages(article, scan, options, problems);
  }
  checkTagVariants(articles, problems);

  // Code-point order, not the locale's: the same output on every machine.
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return problems.sort(
    (a, b) =>
      compare(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      compare(a.kind, b.kind),
  );
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** `N errors, M warnings in K articles`. */
export function summarize(problems: readonly Problem[], articleCount: number): string {
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  return `${plural(errors, 'error')}, ${plural(problems.length - errors, 'warning')} in ${plural(articleCount, 'article')}`;
}

/** Human-readable report: one line per problem, grouped by file, then the summary line. */
export function formatReport(problems: readonly Problem[], articleCount: number): string {
  const groups = new Map<string, Problem[]>();
  for (const problem of problems) groups.set(problem.file, [...(groups.get(problem.file) ?? []), problem]);
  const blocks = [...groups.values()].map((group) => {
    const rows = group.map((problem) => [
      `${problem.file.split(path.sep).join('/')}${problem.line ? `:${problem.line}` : ''}`,
      problem.severity,
      problem.field ?? problem.kind,
      `${problem.message}  → fix: ${problem.fix}`,
    ]);
    const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
    return rows
      .map((row) => row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column] ?? 0) : cell)).join('  '))
      .join('\n');
  });
  return [...blocks, summarize(problems, articleCount)].join('\n\n');
}
