/**
 * `gatepost()`: the one integration astro.config.mjs adds. Each piece is a small integration in its
 * feature folder; this runs their hooks in the order listed, each with its own log label.
 */
import type { AstroIntegration, AstroIntegrationLogger } from 'astro';
import clerk from './clerk/integration';
import sessionDirective from './clerk/directive-integration';
import contentDataFile from './articles/data-file';
import buildMemory from './build/memory';
import cspHashes from './security/csp-hashes';
import searchIndex from './search/integration';
import gatepostServer from './server/integration';

type Hooks = AstroIntegration['hooks'];
type AnyHook = (params: { logger: AstroIntegrationLogger }) => unknown;

/** One integration running the hooks of `parts`, in order. */
export function composeIntegrations(name: string, parts: readonly AstroIntegration[]): AstroIntegration {
  const hookNames = new Set(parts.flatMap((part) => Object.keys(part.hooks) as (keyof Hooks)[]));
  const hooks: Record<string, AnyHook> = {};
  for (const hookName of hookNames) {
    hooks[hookName] = async (params) => {
      for (const part of parts) {
        const hook = part.hooks[hookName] as AnyHook | undefined;
        if (hook) await hook({ ...params, logger: params.logger.fork(part.name) });
      }
    };
  }
  return { name, hooks: hooks as Hooks };
}

export default function gatepost(): AstroIntegration {
  return composeIntegrations('gatepost', [
    // First, so it applies before content is synced: V8 keeps the build's heap close to what it uses.
    buildMemory(),
    clerk(),
    sessionDirective(),
    cspHashes(),
    // The content data store is read from a JSON file at run time instead of being bundled as a module.
    contentDataFile(),
    // The full-text search index, built from the same content data into dist/server.
    searchIndex(),
    // Last: compresses dist/client once every other step has written it, and bundles the server.
    gatepostServer(),
  ]);
}
