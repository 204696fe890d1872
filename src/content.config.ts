import { defineCollection } from 'astro:content';
import { articleSchema } from './articles/schema';
import { memberLoader, previewLoader } from './articles/loader';

/** Where editors keep articles: one Markdown file per article, and the file name is the URL slug. */
export const ARTICLES_DIR = 'src/content/articles';

// Files starting with "_" are ignored, so editors can keep notes and templates next to articles.
const source = { base: `./${ARTICLES_DIR}`, pattern: '**/[^_]*.md' };

/** Every article; gated ones cut at the members-only marker. Safe for listings and static pages. */
const articles = defineCollection({
  loader: previewLoader(source),
  schema: ({ image }) => articleSchema({ image }),
});

/** Full text of gated articles. Read only through src/lib/member-content.ts after an access decision. */
const memberBodies = defineCollection({
  loader: memberLoader(source),
  schema: ({ image }) => articleSchema({ image }),
});

export const collections = { articles, memberBodies };
