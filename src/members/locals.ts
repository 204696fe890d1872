/**
 * The members' store on `locals.members` for pages and endpoints (src/middleware.ts runs this step).
 *
 * The Gatepost server opens the store once per process and passes it in through the locals Astro's
 * handler receives (src/server/app.ts), so pages use the server's pool, never one of their own. Only a
 * request that arrives without it, which happens under `astro dev` (no Gatepost server), opens one here,
 * once per process, and says so.
 */
import type { MiddlewareHandler } from 'astro';
import { readStoreConfig } from './config';
import { openStore, type MembersStore } from './store';

let ownStore: MembersStore | null | undefined;

function openOwnStore(): MembersStore | null {
  try {
    const store = openStore(readStoreConfig(process.env));
    console.warn(
      `[gatepost] members' store opened by Astro itself (astro dev, no Gatepost server): ${store.description}`,
    );
    return store;
  } catch (error) {
    // A bad setting: store features answer 503, everything else works.
    console.error(`[gatepost] members' store: ${(error as Error).message}`);
    return null;
  }
}

export const provideMembers: MiddlewareHandler = (context, next) => {
  // Prerendering has no reader and no store.
  if (!context.isPrerendered && !context.locals.members)
    context.locals.members = (ownStore ??= openOwnStore()) ?? undefined;
  return next();
};
