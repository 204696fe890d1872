/**
 * What the source folder says should be live, for automatic publishing (./auto-publish.ts): which
 * articles are published now (by the one rule, `isPublished`) and when the next scheduled one comes
 * out. Reads only each file's frontmatter `draft` and `pubDate`, as the collection's schema reads them
 * (`z.coerce.date`: a date without a time is midnight UTC); a file whose fields cannot be read is left to
 * the build, which fails naming it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { findFrontmatter } from '../articles/frontmatter.ts';
import { isPublished } from '../articles/publish.ts';
import { listArticleFiles } from '../articles/source/reader.ts';
import { slugOfFile } from '../articles/slug.ts';

export interface SourceSchedule {
  /** Slugs of the articles published at `now`. */
  published: string[];
  /** The earliest pubDate after `now` of an article that is not a draft. */
  next: Date | undefined;
}

export function sourceSchedule(dir: string, now = new Date()): SourceSchedule {
  const published: string[] = [];
  let next: Date | undefined;
  for (const rel of listArticleFiles(dir)) {
    const block = findFrontmatter(readFileSync(join(dir, rel), 'utf8'));
    if (!block) continue;
    let data: { draft?: unknown; pubDate?: unknown };
    try {
      data = (parse(block.yaml) ?? {}) as typeof data;
    } catch {
      continue;
    }
    const pubDate = new Date(data.pubDate as string);
    if (Number.isNaN(pubDate.getTime())) continue;
    const article = { draft: data.draft === true, pubDate };
    if (isPublished(article, now)) published.push(slugOfFile(rel));
    else if (!article.draft && (!next || pubDate < next)) next = pubDate;
  }
  return { published, next };
}
