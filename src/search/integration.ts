/**
 * Builds the search index after the build, from the content data store the server reads, into
 * dist/server (never dist/client: it holds members-only text, like the data store itself).
 */
import type { AstroIntegration } from 'astro';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSearchIndex } from './build';
import { parseDataStore, searchRecords } from './records';
import { SEARCH_INDEX_FILE } from './schema';

export default function searchIndex(): AstroIntegration {
  let storeFile: string | undefined;
  let server: URL | undefined;
  return {
    name: 'gatepost/search-index',
    hooks: {
      'astro:config:done': ({ config }) => {
        storeFile = join(fileURLToPath(config.cacheDir), 'data-store.json');
        server = config.build.server;
      },
      'astro:build:done': ({ logger }) => {
        if (!storeFile || !server) return;
        const started = performance.now();
        const records = searchRecords(parseDataStore(readFileSync(storeFile, 'utf8')));
        const file = fileURLToPath(new URL(SEARCH_INDEX_FILE, server));
        buildSearchIndex(records, file);
        const kib = Math.round(statSync(file).size / 1024);
        logger.info(
          `${records.length} article(s) indexed in ${Math.round(performance.now() - started)} ms (${kib} KiB)`,
        );
      },
    },
  };
}
