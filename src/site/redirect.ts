/**
 * Where to send a reader after signing in or up, or back from the pricing page. Only same-origin paths
 * are accepted, so a link such as /sign-in?redirect_url=https://evil.example cannot turn the sign-in page
 * into an open redirect. The rule is checked on the path this returns (after the URL parser has resolved
 * dot segments and percent-encoded dots), not only on what came in: `/.//evil.example` normalises to
 * `//evil.example`, which a browser reads as another host.
 */
import { isAuthPath } from './paths';

const FALLBACK = '/';

/** Control characters have no business in a path. */
const hasControl = (text: string) => [...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);

/**
 * True when `path` is a path on `origin` as a browser reads it in a Location header or
 * `location.assign()`: one leading slash (never `//` or `/\`, a host to a browser), no backslash
 * (browsers read it as a slash), no control character, and resolving to `origin` itself.
 */
export function isSameOriginPath(path: string, origin: string): boolean {
  if (!path.startsWith('/') || /^\/[\\/]/.test(path) || path.includes('\\') || hasControl(path)) return false;
  try {
    return new URL(path, origin).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}

/**
 * `raw` as a path on `origin` (pathname, query and fragment), or `fallback` when it is missing, too long,
 * not on `origin`, an auth page, or would not itself be a same-origin path once normalised.
 */
export function safeRedirectPath(raw: string | null | undefined, origin: string, fallback = FALLBACK): string {
  if (!raw || raw.length > 2048) return fallback;
  // A path, or an absolute URL on this origin (Clerk itself sends e.g. redirect_url=http://this-site/members/x/).
  if (!raw.startsWith('/') && !/^https?:\/\//i.test(raw)) return fallback;
  if (raw.includes('\\') || hasControl(raw)) return fallback;
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(origin).origin) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!isSameOriginPath(path, origin)) return fallback;
  // Never bounce back into the auth pages themselves.
  if (isAuthPath(url.pathname)) return fallback;
  return path;
}
