/**
 * What the editor desk shows on a deployment without the content folder (a copy holding `dist/` and
 * `node_modules` only): the articles the build holds, which are the ones published when it ran. Drafts
 * and scheduled articles exist only in the source folder, so the desk says where it looked for it.
 */
import { existsSync } from 'node:fs';
import { getCollection, getEntry } from 'astro:content';
import { CONTENT_DIR_VARIABLE, contentDir } from '../articles/source/reader';
import { articleMinutes, type Article } from '../articles/collection';
import { MARKER_FLAG } from '../articles/marker';
import { isPublished, publishState } from '../articles/publish';
import {
  findSourceArticle,
  loadSourceArticles,
  newestFirst,
  type DeskArticle,
  type SourceArticle,
} from './source-articles';

export interface DeskListing {
  /** Where the rows come from: the content folder, or the build when the folder cannot be read. */
  from: 'source' | 'build';
  /** The content folder looked at. */
  dir: string;
  /** Why the folder was not used, for the desk to say (build only). */
  reason?: string;
  variable: typeof CONTENT_DIR_VARIABLE;
  articles: DeskArticle[];
}

function builtRow(entry: Article, now: Date): DeskArticle {
  const { title, access, tags, pubDate, updatedDate } = entry.data;
  const words = entry.rendered?.metadata?.words;
  return {
    slug: entry.id,
    id: entry.id,
    file: entry.filePath?.split('/').pop() ?? `${entry.id}.md`,
    data: { title, access, tags, pubDate, updatedDate },
    problems: [],
    state: publishState(entry.data, now),
    words: typeof words === 'number' ? words : 0,
    minutes: articleMinutes(entry),
    hasMarker: entry.rendered?.metadata?.[MARKER_FLAG] === true,
    live: true,
  };
}

/** The ids of the articles the serving build publishes (its collection holds nothing else). */
async function liveIds(now: Date): Promise<Set<string>> {
  const entries = await getCollection('articles', ({ data }) => isPublished(data, now));
  return new Set(entries.map((entry) => entry.id));
}

/** Source rows with `live` set from the serving build. */
function withLive<T extends DeskArticle>(articles: T[], live: Set<string>): T[] {
  return articles.map((article) => ({ ...article, live: live.has(article.id) }));
}

/** The desk's rows: from the content folder when it can be read, else from the build. */
export async function loadDesk(now = new Date()): Promise<DeskListing> {
  const dir = contentDir();
  try {
    const articles = withLive(await loadSourceArticles(dir, now), await liveIds(now));
    return { from: 'source', dir, variable: CONTENT_DIR_VARIABLE, articles };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'it does not exist' : `it cannot be read (${code ?? String(error)})`;
    const entries = await getCollection('articles', ({ data }) => isPublished(data, now));
    const articles = entries.map((entry) => builtRow(entry, now)).sort(newestFirst);
    return { from: 'build', dir, reason, variable: CONTENT_DIR_VARIABLE, articles };
  }
}

export type PreviewSource =
  { from: 'source'; article: SourceArticle } | { from: 'build'; article: DeskArticle; entry: Article };

/** The article to preview: from the content folder when there is one, else a published one from the build. */
export async function findPreviewArticle(slug: string, now = new Date()): Promise<PreviewSource | undefined> {
  const dir = contentDir();
  if (existsSync(dir)) {
    const found = await findSourceArticle(slug, dir);
    if (!found) return undefined;
    const [article] = withLive([found], await liveIds(now));
    return { from: 'source', article: article! };
  }
  const entry = slug ? await getEntry('articles', slug) : undefined;
  if (!entry || !isPublished(entry.data, now)) return undefined;
  return { from: 'build', article: builtRow(entry, now), entry };
}
