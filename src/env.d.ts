declare namespace App {
  interface Locals {
    /** Set by src/middleware.ts when the session check timed out or failed: serve as signed out. */
    gatepostAuthFailed?: boolean;
  }
}

declare namespace Astro {
  interface ClientDirectives {
    /** Hydrate only when the browser has a Clerk session (src/directives/session.ts). */
    'client:session'?: boolean;
  }
}
