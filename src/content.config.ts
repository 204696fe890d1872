import { defineCollection } from 'astro:content';
import { articleSchema } from './articles/schema';
import { memberLoader, previewLoader } from './articles/loader';
import { ARTICLES_DIR, ARTICLES_PATTERN } from './articles/folder';

const source = { base: `./${ARTICLES_DIR}`, pattern: ARTICLES_PATTERN };

/** Every article; gated ones cut at the members-only marker. Safe for listings and static pages. */
const articles = defineCollection({
  loader: previewLoader(source),
  schema: ({ image }) => articleSchema({ image }),
});

/** Full text of gated articles. Read only through src/articles/member-content.ts after an access decision. */
const memberBodies = defineCollection({
  loader: memberLoader(source),
  schema: ({ image }) => articleSchema({ image }),
});

export const collections = { articles, memberBodies };
