/**
 * Every URL the site links to is built here, so the URL scheme lives in one place.
 *
 * Public articles are prerendered at /articles/<slug>/. Gated articles live under /members/<slug>/,
 * a server-rendered section where each request is checked against the reader's access.
 */
import { isGated, type AccessLevel } from '../gate/membership';

export interface Routable {
  id: string;
  data: { access: AccessLevel };
}

export const PATHS = {
  home: '/',
  articles: '/articles/',
  tags: '/tags/',
  about: '/about/',
  rss: '/rss.xml',
  sitemap: '/sitemap.xml',
  signIn: '/sign-in/',
  signUp: '/sign-up/',
  account: '/account/',
  pricing: '/pricing/',
} as const;

/** The prefix of the server-rendered, access-checked section. */
export const MEMBERS_PREFIX = '/members/';

export function articlePath(entry: Routable): string {
  return isGated(entry.data.access) ? `${MEMBERS_PREFIX}${entry.id}/` : `/articles/${entry.id}/`;
}

/** Page 1 of a tag's articles is /tags/<tag>/, page n is /tags/<tag>/n/. */
export function tagPath(tag: string, page = 1): string {
  return page <= 1 ? `/tags/${tag}/` : `/tags/${tag}/${page}/`;
}

/** Page 1 of the article index is /articles/, page n is /articles/n/. */
export function articlesPagePath(page: number): string {
  return page <= 1 ? PATHS.articles : `${PATHS.articles}${page}/`;
}
