/**
 * Every article as the editor wrote it, read from the content folder when an editor asks: drafts and
 * scheduled articles included. The published site never contains drafts or not-yet-due articles (the
 * content loaders drop them at build time), so editor previews read the source instead.
 *
 * Server-only; reached only from editor routes, which answer 404 to everyone but editors.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { z } from 'astro/zod';
import { parse } from 'yaml';
import { articleSchema } from '../../articles/schema';
import type { AccessLevel } from '../../gate/membership';
import { findFrontmatter } from '../frontmatter';
import { hasMarker } from '../preview';
import { publishState, type PublishState } from '../../articles/publish';
import { countWords, readingMinutes } from '../../articles/reading-time';

/** The content folder at run time; the server is started from the project root (npm start). */
export function contentDir(): string {
  return process.env.GATEPOST_CONTENT_DIR || join(process.cwd(), 'src', 'content', 'articles');
}

const schema = articleSchema({ image: () => z.string() });
export type SourceData = z.infer<typeof schema>;

export interface SourceArticle {
  slug: string;
  /** Path relative to the content folder. */
  file: string;
  data: SourceData | null;
  /** Schema problems, when the frontmatter is invalid (the build would fail on it). */
  problems: string[];
  body: string;
  state: PublishState | 'invalid';
  words: number;
  minutes: number;
  hasMarker: boolean;
}

async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.md') && !e.name.startsWith('_'))
    .map((e) => join(e.parentPath, e.name));
}

export function parseSourceArticle(file: string, text: string, now = new Date()): SourceArticle {
  const slug = file.replace(/\.md$/, '').split(sep).join('/');
  const block = findFrontmatter(text);
  // The body as an editor sees it: from the line after the closing fence.
  const body = block ? text.slice(block.bodyOffset).replace(/^\r?\n/, '') : text;
  const words = countWords(body);
  const base = { slug, file, body, words, minutes: readingMinutes(words), hasMarker: hasMarker(body) };
  if (!block)
    return { ...base, data: null, problems: ['no frontmatter block (--- … ---) at the top'], state: 'invalid' };
  let raw: unknown;
  try {
    raw = parse(block.yaml);
  } catch (error) {
    return {
      ...base,
      data: null,
      problems: [`frontmatter is not valid YAML: ${(error as Error).message}`],
      state: 'invalid',
    };
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    return {
      ...base,
      data: null,
      problems: result.error.issues.map((issue) => `${issue.path.join('.') || '(frontmatter)'}: ${issue.message}`),
      state: 'invalid',
    };
  }
  return { ...base, data: result.data, problems: [], state: publishState(result.data, now) };
}

export async function loadSourceArticles(dir = contentDir(), now = new Date()): Promise<SourceArticle[]> {
  const files = await markdownFiles(dir);
  const articles = await Promise.all(
    files.map(async (path) => parseSourceArticle(relative(dir, path), await readFile(path, 'utf8'), now)),
  );
  return articles.sort(
    (a, b) => (b.data?.pubDate.getTime() ?? 0) - (a.data?.pubDate.getTime() ?? 0) || a.slug.localeCompare(b.slug),
  );
}

export async function findSourceArticle(slug: string, dir = contentDir()): Promise<SourceArticle | undefined> {
  if (!/^[\p{L}\p{N}][\p{L}\p{N}_/-]*$/u.test(slug) || slug.includes('..')) return undefined;
  // The file name is the slug: read that one file, not the whole folder. `_` files are not articles.
  const file = `${slug}.md`;
  if (basename(file).startsWith('_')) return undefined;
  let text: string;
  try {
    text = await readFile(join(dir, file), 'utf8');
  } catch {
    return undefined;
  }
  return parseSourceArticle(file, text);
}

export interface DeskFilters {
  state?: PublishState | 'invalid' | undefined;
  access?: AccessLevel | undefined;
}

export function filterArticles(articles: readonly SourceArticle[], filters: DeskFilters): SourceArticle[] {
  return articles.filter(
    (a) => (!filters.state || a.state === filters.state) && (!filters.access || a.data?.access === filters.access),
  );
}
