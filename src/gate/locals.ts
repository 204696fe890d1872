/**
 * The viewer step of the request pipeline (src/middleware.ts): reads the reader once per request and
 * sets `locals.viewer`, which every page and component reads. Works whether or not Clerk's middleware
 * ran: without Clerk configured, `locals.auth` is absent and every reader is anonymous.
 */
import type { MiddlewareHandler } from 'astro';
import { ANONYMOUS, viewerFromAuth, type AuthLike, type Viewer } from './viewer';

/** The viewer for one request's locals, as set by Clerk's middleware and the session step. */
export function readViewer(locals: { auth?: unknown; gatepostAuthFailed?: boolean | undefined }): Viewer {
  if (locals.gatepostAuthFailed === true || typeof locals.auth !== 'function') return ANONYMOUS;
  try {
    return viewerFromAuth((locals.auth as () => AuthLike)());
  } catch {
    // An auth object that cannot be read is no reason to grant anything.
    return ANONYMOUS;
  }
}

/**
 * Makes reading `locals.viewer` throw, for a response that is the same for every reader (`doing`:
 * prerendering a page, serving a social card): asking it who is reading is a bug.
 */
export function forbidViewer(locals: object, doing: string): void {
  Object.defineProperty(locals, 'viewer', {
    configurable: true,
    get() {
      throw new Error(`locals.viewer was read while ${doing}; only pages rendered for a reader have one`);
    },
  });
}

export const setViewer: MiddlewareHandler = (context, next) => {
  if (context.isPrerendered) {
    forbidViewer(context.locals, `prerendering ${context.url.pathname}`);
  } else {
    context.locals.viewer = readViewer(context.locals);
  }
  return next();
};
