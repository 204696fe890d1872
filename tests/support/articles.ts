/**
 * Reads the article sources the way an editor wrote them (frontmatter + Markdown body), independently
 * of Astro, so tests can say what the site *should* contain and compare it with what was built.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ARTICLES_SRC, ROOT } from './paths.ts';

export interface SourceArticle {
  slug: string;
  file: string;
  title: string;
  description: string;
  access: 'public' | 'members' | 'premium';
  draft: boolean;
  pubDate: Date;
  tags: string[];
  featured: boolean;
  body: string;
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;
const MARKER = /<!--\s*members-only\s*-->/i;

export function loadSourceArticles(dir = ARTICLES_SRC): SourceArticle[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md') && !name.startsWith('_'))
    .map((name) => {
      const text = readFileSync(`${dir}${name}`, 'utf8');
      const match = FRONTMATTER.exec(text);
      if (!match) throw new Error(`${name}: no frontmatter`);
      const data = parse(match[1]!) as Record<string, unknown>;
      return {
        slug: name.replace(/\.md$/, ''),
        file: name,
        title: String(data.title),
        description: String(data.description),
        access: data.access as SourceArticle['access'],
        draft: data.draft === true,
        pubDate: new Date(data.pubDate as string),
        tags: (data.tags as string[] | undefined) ?? [],
        featured: data.featured === true,
        body: match[2]!,
      };
    });
}

export const isPublishedSource = (a: SourceArticle, now = new Date()) => !a.draft && a.pubDate <= now;

/** Published articles newest first, tie broken by slug (the site's order). */
export function publishedSourceArticles(now = new Date()): SourceArticle[] {
  return loadSourceArticles()
    .filter((a) => isPublishedSource(a, now))
    .sort((a, b) => b.pubDate.getTime() - a.pubDate.getTime() || a.slug.localeCompare(b.slug));
}

/**
 * The newest published members and premium articles and their page paths: the pair most gated
 * suites read.
 */
export function gatedSamples() {
  const published = publishedSourceArticles();
  const membersArticle = published.find((a) => a.access === 'members')!;
  const premiumArticle = published.find((a) => a.access === 'premium')!;
  return {
    membersArticle,
    premiumArticle,
    // Written out, not built with src/site/paths.ts: the URLs are what the tests expect of the site.
    MEMBERS: `/members/${membersArticle.slug}/`,
    PREMIUM: `/members/${premiumArticle.slug}/`,
  };
}

/** The part of an article no anonymous reader may see: after the marker, or all of it (drafts, no marker). */
export function secretPart(article: SourceArticle): string {
  if (article.draft || article.pubDate > new Date()) return article.body;
  if (article.access === 'public') return '';
  const match = MARKER.exec(article.body);
  return match ? article.body.slice(match.index + match[0].length) : article.body;
}

/**
 * Runs of at least `min` plain characters (letters, digits, spaces, commas, full stops) taken line by line
 * from the secret part. Plain characters are never escaped in HTML, JSON or JS strings, so if any such run
 * appears in an output file the text leaked, whatever the format.
 */
export function secretPhrases(article: SourceArticle, min = 48): string[] {
  const text = secretPart(article)
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('```') && !/^\s{4}/.test(line));
  const phrases = new Set<string>();
  for (const line of text) {
    for (const run of line.match(/[A-Za-z0-9][A-Za-z0-9 ,.]+[A-Za-z0-9.]/g) ?? []) {
      const phrase = run.trim();
      if (phrase.length >= min && phrase.split(' ').length >= 6) phrases.add(phrase);
    }
  }
  return [...phrases];
}

/** slug → the distinctive sentence of that article's member-only part (tests/fixtures). */
export function loadCanaries(): Record<string, string> {
  return JSON.parse(readFileSync(`${ROOT}tests/fixtures/member-only-sentences.json`, 'utf8')) as Record<string, string>;
}
