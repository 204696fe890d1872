/**
 * Every URL the site links to is built here (the new-article CLI included), so the URL scheme lives in
 * one place.
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
  /** Clerk's <UserProfile/> pages under the account page (its path routing, no trailing slash). */
  accountSecurity: '/account/security',
  accountBilling: '/account/billing',
  /** Clerk's <OrganizationProfile/> for the reader's active organization. */
  accountOrganization: '/account/organization/',
  pricing: '/pricing/',
  /** Full-text search, server-rendered: ?q=…&page=n (src/pages/search.astro). */
  search: '/search/',
  editor: '/editor/',
  /** The members list (src/pages/editor/members): ?q=…&tier=…&page=n. */
  editorMembers: '/editor/members/',
  /** Images of articles previewed from their source files (src/pages/editor/asset). */
  editorAsset: '/editor/asset/',
  /** Clerk's browser settings for static pages (src/pages/api/clerk-config.json.ts). */
  clerkConfig: '/api/clerk-config.json',
  /** Creates a gift link (POST, src/pages/api/gift-links.ts). */
  giftLinks: '/api/gift-links',
  /** Clerk's webhooks into the members' store (POST, src/pages/api/webhooks/clerk.ts). */
  clerkWebhook: '/api/webhooks/clerk',
} as const;

/** Where social card images live (1200×630 PNG, drawn on first request by src/pages/og/; src/social/). */
export const CARD_PREFIX = '/og/';

export const CARD_PATHS = {
  home: `${CARD_PREFIX}home.png`,
  article: (slug: string) => `${CARD_PREFIX}articles/${slug}.png`,
  tag: (tag: string) => `${CARD_PREFIX}tags/${tag}.png`,
} as const;

/**
 * Whether a matched route (Astro's `routePattern`, e.g. `/og/articles/[slug].png`) is a social card's:
 * the same image for every reader (src/middleware.ts gives it no session and a shared cache class).
 */
export const isCardRoute = (routePattern: string): boolean => routePattern.startsWith(CARD_PREFIX);

/**
 * Whether a card address's slug or tag is worth looking up: at most 200 characters, no slash, backslash
 * or control character. Anything else is a 404 at once.
 */
export const isCardName = (name: string | undefined): name is string =>
  name !== undefined && name.length <= 200 && /^[^/\\\p{Cc}]+$/u.test(name);

/** The prefix of the server-rendered, access-checked section. */
export const MEMBERS_PREFIX = '/members/';

/** A path without its trailing slash, as Clerk's path-routed components want their base. */
export function routeBase(path: string): string {
  return path.length > 1 ? path.replace(/\/$/, '') : path;
}

/** The URL path of the article with this slug and access level. */
export function articleSlugPath(slug: string, access: AccessLevel): string {
  return isGated(access) ? `${MEMBERS_PREFIX}${slug}/` : `${PATHS.articles}${slug}/`;
}

export function articlePath(entry: Routable): string {
  return articleSlugPath(entry.id, entry.data.access);
}

/** The gift link of a gated article: its page with the token as `?gift=`. */
export function giftPath(slug: string, token: string): string {
  return `${MEMBERS_PREFIX}${slug}/?gift=${encodeURIComponent(token)}`;
}

/** Page 1 of a tag's articles is /tags/<tag>/, page n is /tags/<tag>/n/. */
export function tagPath(tag: string, page = 1): string {
  return page <= 1 ? `${PATHS.tags}${tag}/` : `${PATHS.tags}${tag}/${page}/`;
}

/** Page 1 of the article index is /articles/, page n is /articles/n/. */
export function articlesPagePath(page: number): string {
  return page <= 1 ? PATHS.articles : `${PATHS.articles}${page}/`;
}

/** The editor's preview of an article's source file, optionally as a reader of one kind would see it. */
export function editorPreviewPath(slug: string, as?: string): string {
  const path = `${PATHS.editor}preview/${slug}/`;
  return as ? `${path}?as=${encodeURIComponent(as)}` : path;
}

/** The editor's members list with these filters; empty ones are left out. */
export function editorMembersPath(query: { q?: string | undefined; tier?: string | undefined; page?: number }): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.tier) params.set('tier', query.tier);
  if (query.page && query.page > 1) params.set('page', String(query.page));
  const search = params.toString();
  return search ? `${PATHS.editorMembers}?${search}` : PATHS.editorMembers;
}

/** True for the sign-in and sign-up pages and everything under them. */
export function isAuthPath(pathname: string): boolean {
  return [PATHS.signIn, PATHS.signUp].some((base) => pathname === routeBase(base) || pathname.startsWith(base));
}

/** Links into the account pages that bring the reader back to where they were. */
export function signInHref(returnTo: string): string {
  return `${PATHS.signIn}?redirect_url=${encodeURIComponent(returnTo)}`;
}

export function signUpHref(returnTo: string): string {
  return `${PATHS.signUp}?redirect_url=${encodeURIComponent(returnTo)}`;
}

/** A search results page: page 1 has no page parameter. */
export function searchPath(query?: string, page = 1): string {
  const params = new URLSearchParams();
  if (query) params.set('q', query);
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `${PATHS.search}?${search}` : PATHS.search;
}

/** Newsletters: one-click unsubscribe (RFC 8058) and its confirmation page, one link per member and newsletter. */
export function unsubscribePath(token: string): string {
  return `/unsubscribe/${encodeURIComponent(token)}/`;
}

/** Where a member manages their newsletters (the account page's section) and the endpoint its toggles post to. */
export const NEWSLETTER_PATHS = {
  manage: `${PATHS.account}#newsletters`,
  subscription: '/api/newsletter-subscription',
} as const;

/** Where members' private feeds live: /feeds/<token>/rss.xml and /feeds/<token>/atom.xml. */
export const FEEDS_PREFIX = '/feeds/';

/** A member's private feed in one format. */
export function privateFeedPath(token: string, format: 'rss' | 'atom'): string {
  return `${FEEDS_PREFIX}${encodeURIComponent(token)}/${format}.xml`;
}

/** The account page's feed section, and the endpoint that makes or resets a member's feed URL. */
export const PRIVATE_FEED_PATHS = {
  manage: `${PATHS.account}#private-feed`,
  api: '/api/private-feed',
  /** The editor's reset of a flagged feed (POST, form `member=<id>`). */
  editorReset: `${PATHS.editorMembers}feed-reset`,
} as const;

/**
 * A request path as logs may show it: a private feed's token replaced, since the token alone reads the
 * feed. Matched loosely (any spelling that could still reach the feed route: dot segments, doubled or
 * encoded slashes, any case), and any token-shaped segment anywhere. Every log line naming a path uses it.
 */
export function loggedPath(pathname: string): string {
  return pathname
    .replace(/(feeds(?:\/|%2f)+)[^/]+/gi, '$1<token>')
    .replace(/f1(?:\.|%2e)[A-Za-z0-9_%-]+(?:\.|%2e)[A-Za-z0-9_%-]+/gi, '<token>');
}

/** An article's "Email to subscribers" page on the desk, and the actions it posts to. */
export function editorEmailPath(slug: string, action?: 'send' | 'test' | 'retry' | 'preview'): string {
  return `${PATHS.editor}articles/${slug}/${action ?? 'email'}${action ? '' : '/'}`;
}

/**
 * Server-rendered pages whose address ends in a slash. Clerk's path-routed pages are left alone, and
 * gated articles are sent to their one spelling by src/server/anonymous-pages.ts (readers with a
 * session get the page, whose canonical link names that spelling).
 */
const SLASHED_PAGES = [/^\/(pricing|search|editor)$/];

/**
 * Where a request for a page's path without its trailing slash is sent (308): the same path with it,
 * or null when the path is not such a page (or could be read as another host, `//…`).
 */
export function slashRedirect(pathname: string): string | null {
  if (!pathname.startsWith('/') || pathname.startsWith('//') || pathname.endsWith('/')) return null;
  return SLASHED_PAGES.some((page) => page.test(pathname)) ? `${pathname}/` : null;
}

/** A page's canonical path: with its trailing slash, as every page's address has it (files keep theirs). */
export function canonicalPath(pathname: string): string {
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  return pathname.endsWith('/') || last.includes('.') ? pathname : `${pathname}/`;
}
