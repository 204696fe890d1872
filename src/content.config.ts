import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { articleSchema } from './lib/article-schema';

/** Where editors keep articles: one Markdown file per article, and the file name is the URL slug. */
export const ARTICLES_DIR = 'src/content/articles';

const articles = defineCollection({
  // Files starting with "_" are ignored, so editors can keep notes and templates next to articles.
  loader: glob({ base: `./${ARTICLES_DIR}`, pattern: '**/[^_]*.md' }),
  schema: articleSchema,
});

export const collections = { articles };
