/** Which card a page names in its head: the image's path and alternative text (BaseHead.astro). */
import { CARD_PATHS } from '../site/paths';
import { articleCard, homeCard, tagCard, type ArticleFacts } from './card';

export interface CardRef {
  path: string;
  alt: string;
}

export const articleCardRef = (slug: string, article: ArticleFacts): CardRef => ({
  path: CARD_PATHS.article(slug),
  alt: articleCard(article).alt,
});

export const homeCardRef = (): CardRef => ({ path: CARD_PATHS.home, alt: homeCard().alt });

export const tagCardRef = (tag: string, count: number): CardRef => ({
  path: CARD_PATHS.tag(tag),
  alt: tagCard(tag, count).alt,
});
