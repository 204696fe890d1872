/**
 * Builds the search index after the build, from the content data store the server reads, into
 * dist/server (never dist/client: it holds members-only text, like the data store itself).
 *
 * The index is one file written from every record, so the latest one is kept in cacheDir (./kept.ts):
 * a build whose data store file has the same bytes, or whose articles give the same records, links the
 * kept file instead of building it again; any change to an article's indexed text, title, tags, access
 * or date (or to the code that indexes them: ./fingerprint.ts) builds it anew.
 */
import type { AstroIntegration } from 'astro';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeFingerprint } from './fingerprint';
import { placeSearchIndex } from './kept';
import { SEARCH_INDEX_FILE } from './schema';

const SAID = {
  store: 'unchanged since the last build (same data store): index',
  records: 'unchanged since the last build: index',
  built: 'indexed',
} as const;

export default function searchIndex(): AstroIntegration {
  let storeFile: string | undefined;
  let server: URL | undefined;
  let keptDir: string | undefined;
  return {
    name: 'gatepost/search-index',
    hooks: {
      'astro:config:done': ({ config }) => {
        storeFile = join(fileURLToPath(config.cacheDir), 'data-store.json');
        server = config.build.server;
        keptDir = fileURLToPath(new URL('gatepost-search-index/', config.cacheDir));
      },
      'astro:build:done': ({ logger }) => {
        if (!storeFile || !server || !keptDir) return;
        const started = performance.now();
        const file = fileURLToPath(new URL(SEARCH_INDEX_FILE, server));
        // This module imports everything that turns the store into the index.
        const code = codeFingerprint(fileURLToPath(import.meta.url));
        if (code === undefined) logger.warn('no fingerprint of the indexing code: the data store will be read in full');
        const { articles, source, placed } = placeSearchIndex({ storeFile, file, keptDir, code });
        const kib = Math.round(statSync(file).size / 1024);
        const how = source === 'built' ? SAID.built : `${SAID[source]} ${placed}`;
        logger.info(`${articles} article(s) ${how} in ${Math.round(performance.now() - started)} ms (${kib} KiB)`);
      },
    },
  };
}
