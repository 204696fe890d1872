/**
 * Reading the viewer from a request's locals. Works whether or not Clerk's middleware ran: without
 * Clerk configured, `locals.auth` is absent and every reader is anonymous.
 */
import { ANONYMOUS, viewerFromAuth, type AuthLike, type Viewer } from '../access/viewer';

export interface AuthLocals {
  /** Set by Clerk's middleware; absent when Clerk is not configured. */
  auth?: unknown;
  /** Set when the session check timed out or failed: the reader is served as signed out. */
  gatepostAuthFailed?: boolean;
}

export function viewerFromLocals(locals: AuthLocals): Viewer {
  if (locals.gatepostAuthFailed === true || typeof locals.auth !== 'function') return ANONYMOUS;
  try {
    return viewerFromAuth((locals.auth as () => AuthLike)());
  } catch {
    // An auth object that cannot be read is no reason to grant anything.
    return ANONYMOUS;
  }
}
