/**
 * Reading the viewer from a request's locals. Works whether or not Clerk's middleware ran: without
 * Clerk configured, `locals.auth` is absent and every reader is anonymous.
 */
import { ANONYMOUS, viewerFromAuth, type AuthLike, type Viewer } from '../access/viewer';

export interface AuthLocals {
  /** Set by Clerk's middleware; absent when Clerk is not configured. */
  auth?: unknown;
}

export function viewerFromLocals(locals: AuthLocals): Viewer {
  if (typeof locals.auth !== 'function') return ANONYMOUS;
  try {
    return viewerFromAuth((locals.auth as () => AuthLike)());
  } catch {
    // An auth object that cannot be read is no reason to grant anything.
    return ANONYMOUS;
  }
}
