/** Small helpers shared by the account pages. */
import { clerkConfig } from './server-config';
import { safeRedirectPath } from '../site/redirect';

export { clerkConfig };

/** The `redirect_url` query parameter, accepted only as a same-origin path. */
export function redirectTarget(url: URL, fallback = '/'): string {
  return safeRedirectPath(url.searchParams.get('redirect_url'), url.origin, fallback);
}
