/**
 * The upgrade round trip: paywall → (sign-up) → checkout → back to the article, unlocked.
 *
 * - The paywall's "Subscribe" opens the pricing page's *checkout step* for one plan,
 *   `/pricing/?checkout=<plan>&return=<article path>`: the plan, its price and one button to Clerk's
 *   checkout (or the operator's payment link). A reader who is not signed in goes through sign-up first,
 *   with the checkout step as sign-up's return path.
 * - The paywall links to `/pricing/?return=<article path>`; the pricing page accepts `return` only as a
 *   same-site path (the sign-in pages' rule, `safeRedirectPath`) and offers a way back to it.
 * - The way back carries a *refresh marker* (`?session=refresh`). The marker grants nothing: it only
 *   makes the gated page ask Clerk for a fresh session token before the reader sees its paywall, so an
 *   upgrade shows at once instead of when the old token (60 s) expires. The server still decides from
 *   the token Clerk's SDK verified (docs/access.md, "Coming back after an upgrade").
 *
 * Plain TypeScript: the pages, the browser islands and the unit tests import it.
 */
import { PATHS } from './paths';
import { safeRedirectPath } from './redirect';

export const RETURN_PARAM = 'return';
export const CHECKOUT_PARAM = 'checkout';
export const REFRESH_PARAM = 'session';
export const REFRESH_VALUE = 'refresh';

/** The pricing page, remembering the article the reader came from. */
export function upgradeHref(returnTo: string): string {
  return `${PATHS.pricing}?${RETURN_PARAM}=${encodeURIComponent(returnTo)}`;
}

/** The checkout step for one plan (Billing's plan slug, or the level without Billing), then back to `returnTo`. */
export function checkoutHref(plan: string, returnTo: string | null): string {
  const params = new URLSearchParams({ [CHECKOUT_PARAM]: plan });
  if (returnTo) params.set(RETURN_PARAM, returnTo);
  return `${PATHS.pricing}?${params.toString()}`;
}

/** The plan a checkout step was asked for, when the parameter looks like a plan's key; else null. */
export function checkoutPlan(url: URL): string | null {
  const plan = url.searchParams.get(CHECKOUT_PARAM);
  return plan && /^[a-z0-9][a-z0-9_:-]{0,63}$/i.test(plan) ? plan : null;
}

/** The article to go back to from the pricing page, or null when `return` is missing or not same-site. */
export function returnPath(url: URL): string | null {
  const path = safeRedirectPath(url.searchParams.get(RETURN_PARAM), url.origin, '');
  // Never back to the pricing page itself (a loop, not a way back).
  if (!path || path === PATHS.pricing || path.startsWith(`${PATHS.pricing}?`)) return null;
  return path;
}

/** `path` with the refresh marker added (other query parameters and the fragment kept). */
export function withRefreshMarker(path: string): string {
  const url = new URL(path, 'http://gatepost.invalid');
  url.searchParams.set(REFRESH_PARAM, REFRESH_VALUE);
  return `${url.pathname}${url.search}${url.hash}`;
}

/** True when the request carries the refresh marker. */
export function hasRefreshMarker(url: URL): boolean {
  return url.searchParams.get(REFRESH_PARAM) === REFRESH_VALUE;
}

/**
 * The same page without the marker: where the reader goes once the token is fresh. Through the return
 * rule like every other way back (a request path such as `//members/x/` is no path on this site).
 */
export function withoutRefreshMarker(url: URL): string {
  const clean = new URL(url.href);
  clean.searchParams.delete(REFRESH_PARAM);
  return safeRedirectPath(`${clean.pathname}${clean.search}${clean.hash}`, url.origin);
}
