declare namespace App {
  interface Locals {
    /**
     * Who is reading: set once per request by the viewer step in src/middleware.ts (src/gate/locals.ts).
     * Anonymous when Clerk is not configured or the session check failed. Reading it while a page is
     * prerendered throws, since a static page has no reader.
     */
    viewer: import('./gate/viewer').Viewer;
    /**
     * The cache class the page declares for its response (e.g. `anonymousSearch`); the one cache policy
     * (`cacheControl` in src/security/headers.ts, applied by src/middleware.ts) decides the header from it.
     * Unset: private, as every rendered response.
     */
    cacheClass?: import('./security/headers').CacheClass;
    /**
     * Set by a page whose response is the same for every reader without a session (a gated article's
     * preview and paywall): the server may keep it for them (src/server/anonymous-pages.ts). Only a page
     * that rendered no member-only text may set it.
     */
    cacheableForAnonymous?: boolean;
    /** Set by src/middleware.ts when the session check timed out or failed: serve as signed out. */
    gatepostAuthFailed?: boolean;
    /**
     * The members' store (src/members), opened once per process by the Gatepost server and passed in with
     * each request (src/server/app.ts); under `astro dev`, opened by src/members/locals.ts. Undefined only
     * when its settings are unusable: store features then answer 503.
     */
    members?: import('./members/store').MembersStore | undefined;
    /**
     * The client's address, from the socket or the proxies GATEPOST_TRUST_PROXY trusts (src/server/app.ts).
     * Unset under `astro dev`.
     */
    clientAddress?: string | undefined;
    /**
     * The social card images of the process (src/social/images.ts): started once by the Gatepost server
     * and passed in with each request (src/server/app.ts); under `astro dev`, by src/social/locals.ts.
     */
    cards?: import('./social/images').CardImages | undefined;
  }
}

declare namespace Astro {
  interface ClientDirectives {
    /** Hydrate only when the browser has a Clerk session (src/clerk/directive.ts). */
    'client:session'?: boolean;
  }
}
