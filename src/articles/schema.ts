/**
 * The frontmatter schema of an article. Kept apart from the content config so it can be unit-tested
 * with a stand-in for Astro's `image()` helper.
 *
 * Unknown fields are rejected (`strict`), so a typo such as `acess: premium` fails the build instead
 * of silently publishing the article openly.
 */
import { z } from 'astro/zod';
import { ACCESS_LEVELS } from '../gate/membership';
import { NEWSLETTERS } from '../site/newsletters';

const NEWSLETTER_SLUGS = NEWSLETTERS.map((n) => n.slug);

/** Lowercase words joined by hyphens: one spelling per tag, so "Astro" and "astro" can't both exist. */
export const TAG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Astro passes `image()` to the schema; tests pass a stand-in. */
export interface SchemaContext<Image extends z.ZodType> {
  image: () => Image;
}

/**
 * Every field but the cover, built once: Astro calls the schema function for every entry (its `image()`
 * depends on the entry's file), and building zod schemas costs far more than parsing with them (about
 * 0.3 ms an entry, seconds of a 10,000-article build). Only the objects holding `image()` are built per
 * entry, and as strict objects directly (`.strict()` would build each object twice).
 */
const FIELDS = {
  title: z.string().trim().min(1, 'title must not be empty').max(140, 'title must be at most 140 characters'),
  // The teaser in listings, RSS and the meta description; all that a gated article shows before its preview.
  description: z
    .string()
    .trim()
    .min(20, 'description must be at least 20 characters: it is the teaser readers see')
    .max(300, 'description must be at most 300 characters'),
  pubDate: z.coerce.date({ error: 'pubDate must be a date such as 2026-03-14' }),
  updatedDate: z.coerce.date({ error: 'updatedDate must be a date such as 2026-03-14' }).optional(),
  author: z.string().trim().min(1, 'author must not be empty'),
  tags: z
    .array(z.string().regex(TAG_PATTERN, 'each tag must be lowercase words joined by hyphens, e.g. "web-performance"'))
    .default([]),
  // Required on purpose: an article that forgets to say who may read it must not default to public.
  access: z.enum(ACCESS_LEVELS, { error: `access must be one of: ${ACCESS_LEVELS.join(', ')}` }),
  draft: z.boolean().default(false),
  featured: z.boolean().default(false),
  // Emailed to this newsletter's subscribers once published and served (docs/newsletters.md).
  newsletter: z
    .string()
    .refine((slug) => NEWSLETTER_SLUGS.includes(slug), {
      message: `newsletter must be one of the site's newsletters: ${NEWSLETTER_SLUGS.join(', ')} (src/site/newsletters.ts)`,
    })
    .optional(),
};

const COVER_ALT = z.string().trim().min(1, 'cover.alt must describe the image for readers who cannot see it');

export function articleSchema<Image extends z.ZodType>({ image }: SchemaContext<Image>) {
  return z
    .strictObject({
      ...FIELDS,
      cover: z.strictObject({ src: image(), alt: COVER_ALT }).optional(),
    })
    .refine((data) => !data.updatedDate || data.updatedDate >= data.pubDate, {
      message: 'updatedDate must not be before pubDate',
      path: ['updatedDate'],
    });
}
