/**
 * The one reader of the article source files, shared by the editor desk and `npm run check:content`:
 * which files are articles, their slug, their frontmatter block and their body, as Astro's content
 * loader sees them (`src/content.config.ts` globs the same folder and pattern).
 */
import { opendirSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { ARTICLES_DIR, ARTICLES_PATTERN } from '../folder';
import { findFrontmatter } from '../frontmatter';
import { slugOfFile } from '../slug';

export { ARTICLES_DIR, ARTICLES_PATTERN };

/** The variable that points a running server at the articles folder (for the editor desk's drafts). */
export const CONTENT_DIR_VARIABLE = 'GATEPOST_CONTENT_DIR';

/**
 * The articles folder at run time: `GATEPOST_CONTENT_DIR`, else `src/content/articles` below the working folder.
 * Read from process.env because `npm run check:content` runs this outside Astro (the schema in
 * astro.config.mjs declares the variable for the server).
 */
export function contentDir(): string {
  return process.env[CONTENT_DIR_VARIABLE] || path.join(process.cwd(), ARTICLES_DIR);
}

/**
 * Article files below `dir`, as sorted forward-slash paths relative to it: the files Astro's glob loader
 * loads (src/content.config.ts), found the same way (tinyglobby, `ARTICLES_PATTERN`). Throws the file
 * system's error (ENOENT, ENOTDIR, EACCES) when `dir` cannot be read, where a glob would find nothing.
 */
export function listArticleFiles(dir: string): string[] {
  opendirSync(dir).closeSync();
  return globSync(ARTICLES_PATTERN, { cwd: dir, expandDirectories: false }).sort();
}

/** Offsets → 1-based line numbers. */
export class LineIndex {
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

export interface ArticleSource {
  /** Path relative to the content folder, with forward slashes. */
  rel: string;
  slug: string;
  text: string;
  lines: LineIndex;
  /** The YAML between the fences and where it starts in `text`, when there is a frontmatter block. */
  frontmatter?: { yaml: string; offset: number };
  /** The Markdown body: everything after the closing fence (the whole file without frontmatter). */
  body: string;
  bodyOffset: number;
  /** The file line of a 1-based line of `body`. */
  bodyLine(line: number): number;
}

/** One article file's text, split as Astro splits it. */
export function parseArticleSource(rel: string, text: string): ArticleSource {
  const block = findFrontmatter(text);
  const bodyOffset = block?.bodyOffset ?? 0;
  const lines = new LineIndex(text);
  const firstBodyLine = lines.lineAt(bodyOffset);
  return {
    rel,
    slug: slugOfFile(rel),
    text,
    lines,
    ...(block && { frontmatter: { yaml: block.yaml, offset: block.yamlOffset } }),
    body: text.slice(bodyOffset),
    bodyOffset,
    bodyLine: (line) => firstBodyLine + line - 1,
  };
}
