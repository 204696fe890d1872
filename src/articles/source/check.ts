/**
 * The content checker behind `npm run check:content`: finds the mistakes in the articles folder that the
 * build either rejects with a terse message or, worse, accepts (a gated article without its marker, a
 * link to a draft, an image without alt text). Reads the files with the shared reader, parses each body
 * with the site's Markdown parser, applies the rules and returns the problems in report order.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { isAccessLevel } from '../../gate/membership';
import { findMarker } from '../marker';
import { scanMarkdown } from './markdown';
import { listArticleFiles, parseArticleSource } from './reader';
import { sortProblems, type Problem } from './report';
import type { CheckedArticle, CheckOptions } from './rules/article';
import { checkImages, checkLinks, checkMarkers } from './rules/body';
import { checkFileNames, checkTagVariants } from './rules/folder';
import { checkFrontmatter } from './rules/frontmatter';

export type { CheckOptions } from './rules/article';

function readArticle(dir: string, rel: string): CheckedArticle {
  const source = parseArticleSource(rel, readFileSync(path.join(dir, rel), 'utf8'));
  const scan = scanMarkdown(source.body);
  const article: CheckedArticle = {
    source,
    rel,
    file: path.join(dir, rel),
    slug: source.slug,
    lines: source.lines,
    draft: false,
    scan,
    markers: findMarker(scan),
  };
  if (!source.frontmatter) return article;
  article.frontmatterOffset = source.frontmatter.offset;
  const doc = parseDocument(source.frontmatter.yaml, { uniqueKeys: true });
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

/** Check every article below `dir`. Returns the problems, sorted by file and line. */
export function checkContent(dir: string, options: CheckOptions = {}): Problem[] {
  const now = options.now ?? new Date();
  const articles = listArticleFiles(dir).map((rel) => readArticle(dir, rel));
  const problems: Problem[] = [];

  checkFileNames(articles, problems);
  const bySlug = new Map<string, CheckedArticle>();
  for (const article of articles) if (!bySlug.has(article.slug)) bySlug.set(article.slug, article);

  for (const article of articles) {
    checkFrontmatter(article, problems);
    checkMarkers(article, problems);
    checkLinks(article, bySlug, now, problems);
    checkImages(article, options, problems);
  }
  checkTagVariants(articles, problems);
  return sortProblems(problems);
}
