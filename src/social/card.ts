/**
 * What a social card (Open Graph / Twitter image) says, in plain TypeScript: the texts drawn on the
 * card of an article, the home page or a tag page, and the key its image is cached under. Only
 * frontmatter-level facts go on a card (title, author, date, tags, the access badge): never an
 * article's text, so a card can no more leak member-only text than a listing can.
 */
import { createHash } from 'node:crypto';
import { ACCESS_LEVEL_INFO, type AccessLevel } from '../gate/membership';
import { formatLongDate } from '../site/dates';
import { SITE } from '../site/settings';

export { CARD_HEIGHT, CARD_WIDTH } from './size';

/** Bumped whenever the drawing changes, so every cached card is redrawn once. */
export const CARD_DESIGN_VERSION = 1;

export interface CardContent {
  /** Small line above the title: the site, or "Articles tagged". */
  eyebrow: string;
  title: string;
  /** Author and date, or the site's tagline. */
  byline: string;
  tags: string[];
  /** The access badge (`Free`, `Members`, `Premium`), or none. */
  badge: { label: string; tone: 'accent' | 'gold' } | null;
  /** The image's alternative text. */
  alt: string;
}

export interface ArticleFacts {
  title: string;
  author: string;
  pubDate: Date;
  tags: readonly string[];
  access: AccessLevel;
}

/** At most this many tags fit on one row of the card. */
const MAX_TAGS = 4;

export function articleCard(article: ArticleFacts): CardContent {
  const info = ACCESS_LEVEL_INFO[article.access];
  const byline = `${article.author} · ${formatLongDate(article.pubDate)}`;
  return {
    eyebrow: SITE.name,
    title: article.title,
    byline,
    tags: article.tags.slice(0, MAX_TAGS).map((t) => `#${t}`),
    badge: { label: info.label, tone: info.tone },
    alt: `${article.title}, by ${byline}. ${info.label} article on ${SITE.name}.`,
  };
}

export function homeCard(): CardContent {
  return {
    eyebrow: SITE.name,
    title: SITE.tagline,
    byline: 'Practical, tested writing for people who build and run websites',
    tags: [],
    badge: null,
    alt: `${SITE.name}: ${SITE.tagline}`,
  };
}

export function tagCard(tag: string, count: number): CardContent {
  return {
    eyebrow: `${SITE.name} · articles tagged`,
    title: `#${tag}`,
    byline: `${count} ${count === 1 ? 'article' : 'articles'}`,
    tags: [],
    badge: null,
    alt: `Articles tagged ${tag} on ${SITE.name} (${count}).`,
  };
}

/** Every text a card draws (what the leak guard scans). */
export function cardText(card: CardContent): string {
  return [card.eyebrow, card.title, card.byline, ...card.tags, card.badge?.label ?? '', card.alt].join('\n');
}

/** The cache key of a card's image: its content and the drawing's version. */
export function cardKey(card: CardContent): string {
  return createHash('sha256')
    .update(JSON.stringify({ v: CARD_DESIGN_VERSION, card }))
    .digest('hex')
    .slice(0, 32);
}
