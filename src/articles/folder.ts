/** Where editors keep articles: one Markdown file per article, and the file name is the URL slug. */
export const ARTICLES_DIR = 'src/content/articles';

/** Files starting with "_" are ignored, so editors can keep notes and templates next to articles. */
export const ARTICLES_PATTERN = '**/[^_]*.md';
