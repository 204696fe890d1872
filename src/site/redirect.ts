/**
 * Where to send a reader after signing in or up. Only same-origin relative paths are accepted, so a link
 * such as /sign-in?redirect_url=https://evil.example cannot turn the sign-in page into an open redirect.
 */
import { isAuthPath } from './paths';

const FALLBACK = '/';

export function safeRedirectPath(raw: string | null | undefined, origin: string, fallback = FALLBACK): string {
  if (!raw || raw.length > 2048) return fallback;
  // Absolute URLs from Clerk itself (e.g. redirect_url=http://this-site/members/x/) are fine when same-origin.
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(origin).origin) return fallback;
  // Reject scheme-relative and backslash tricks that browsers may resolve to another host.
  if (!raw.startsWith('/') && !/^https?:\/\//i.test(raw)) return fallback;
  if (/^\/[\\/]/.test(raw) || raw.includes('\\')) return fallback;
  // Control characters have no business in a path.
  if ([...raw].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Never bounce back into the auth pages themselves.
  if (isAuthPath(url.pathname)) return fallback;
  return path;
}
