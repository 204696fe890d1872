/**
 * Reading the viewer from a request's locals. Works whether or not Clerk's middleware ran: without
 * Clerk configured, `locals.auth` is absent and every reader is anonymous.
 */
import { ANONYMOUS, viewerFromAuth, type AuthLike, type Viewer } from './viewer';

export interface AuthLocals {
  /** Set by Clerk's middleware; absent when Clerk is not configured. */
  auth?: unknown;
  /** Set when the session check timed out or failed: the reader is served as signed out. */
  gatepostAuthFailed?: boolean;
}

/**
 * Viewers already read, by the request's `locals.auth` function: Clerk's middleware makes a new one for
 * every request, so the header and the page of one request share a viewer and no two requests do.
 */
const viewersByAuth = new WeakMap<object, Viewer>();

export function viewerFromLocals(locals: AuthLocals): Viewer {
  if (locals.gatepostAuthFailed === true || typeof locals.auth !== 'function') return ANONYMOUS;
  const known = viewersByAuth.get(locals.auth);
  if (known) return known;
  let viewer: Viewer;
  try {
    viewer = viewerFromAuth((locals.auth as () => AuthLike)());
  } catch {
    // An auth object that cannot be read is no reason to grant anything.
    viewer = ANONYMOUS;
  }
  viewersByAuth.set(locals.auth, viewer);
  return viewer;
}
