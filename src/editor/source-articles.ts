/**
 * Every article as the editor wrote it, read from the content folder when an editor asks: drafts and
 * scheduled articles included. The published site never contains drafts or not-yet-due articles (the
 * content loaders drop them at build time), so editor previews read the source instead. A deployment
 * without the folder falls back to what the build holds (./built-articles.ts).
 *
 * Server-only; reached only from editor routes, which answer 404 to everyone but editors.
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { z } from 'astro/zod';
import { parse } from 'yaml';
import { findMarker } from '../articles/marker';
import { contentDir, listArticleFiles, parseArticleSource } from '../articles/source/reader';
import { articleSchema } from '../articles/schema';
import type { AccessLevel } from '../gate/membership';
import { publishState, type PublishState } from '../articles/publish';
import { countWords, readingMinutes } from '../articles/reading-time';

const schema = articleSchema({ image: () => z.string() });
export type SourceData = z.infer<typeof schema>;

/** What a desk row shows; the same for an article read from source and one read from the build. */
export interface DeskArticle {
  /** The preview URL's key: the file's path in the content folder without `.md` (the entry id from a build). */
  slug: string;
  /** The slug the article is published under (Astro's id for the file), for links to the live page. */
  id: string;
  /** Path relative to the content folder. */
  file: string;
  data: Pick<SourceData, 'title' | 'access' | 'tags' | 'pubDate' | 'updatedDate'> | null;
  /** Schema problems, when the frontmatter is invalid (the build would fail on it). */
  problems: string[];
  state: PublishState | 'invalid';
  words: number;
  minutes: number;
  hasMarker: boolean;
  /**
   * True when the build this server serves holds the article, i.e. readers can open it now. A file set
   * `draft: false` since that build is published only by the next one; a new draft may still be live.
   */
  live: boolean;
}

export interface SourceArticle extends DeskArticle {
  data: SourceData | null;
  body: string;
}

export function parseSourceArticle(file: string, text: string, now = new Date()): SourceArticle {
  const source = parseArticleSource(file, text);
  const slug = file.replace(/\.md$/, '');
  // The body as an editor sees it: from the line after the closing fence.
  const body = source.frontmatter ? source.body.replace(/^\r?\n/, '') : source.body;
  const words = countWords(body);
  const hasMarker = findMarker(source.body).marker !== undefined;
  const base = { slug, id: source.slug, file, body, words, minutes: readingMinutes(words), hasMarker, live: false };
  if (!source.frontmatter)
    return { ...base, data: null, problems: ['no frontmatter block (--- … ---) at the top'], state: 'invalid' };
  let raw: unknown;
  try {
    raw = parse(source.frontmatter.yaml);
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

/** The content folder's articles, newest first; throws when the folder cannot be read. */
export async function loadSourceArticles(dir = contentDir(), now = new Date()): Promise<SourceArticle[]> {
  const files = listArticleFiles(dir);
  const articles = await Promise.all(
    files.map(async (rel) => parseSourceArticle(rel, await readFile(join(dir, rel), 'utf8'), now)),
  );
  return articles.sort(newestFirst);
}

/** The desk's order: newest first, undated (invalid) last, then by slug. */
export function newestFirst(a: DeskArticle, b: DeskArticle): number {
  return (b.data?.pubDate.getTime() ?? 0) - (a.data?.pubDate.getTime() ?? 0) || a.slug.localeCompare(b.slug);
}

/** One article from the content folder by its desk slug, or undefined (no such file, or no folder). */
export async function findSourceArticle(slug: string, dir = contentDir()): Promise<SourceArticle | undefined> {
  if (!/^[\p{L}\p{N}][\p{L}\p{N}_/-]*$/u.test(slug) || slug.includes('..')) return undefined;
  // The file name is the slug: read that one file, not the whole folder. `_` files are not articles.
  const file = `${slug}.md`;
  if (posix.basename(file).startsWith('_')) return undefined;
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

export function filterArticles<T extends DeskArticle>(articles: readonly T[], filters: DeskFilters): T[] {
  return articles.filter(
    (a) => (!filters.state || a.state === filters.state) && (!filters.access || a.data?.access === filters.access),
  );
}
