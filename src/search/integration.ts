/**
 * Builds the search index after the build, from the content data store the server reads, into
 * dist/server (never dist/client: it holds members-only text, like the data store itself).
 *
 * The index is one file written from every record, so it is kept in cacheDir by a hash of its records
 * (and schema): a build whose articles gave the same records copies the kept file instead of building it
 * again; any change to an article's indexed text, title, tags, access or date builds it anew.
 */
import type { AstroIntegration } from 'astro';
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSearchIndex } from './build';
import { parseDataStore, searchRecords } from './records';
import { SCHEMA_VERSION, SEARCH_INDEX_FILE } from './schema';

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
        const records = searchRecords(parseDataStore(readFileSync(storeFile, 'utf8')));
        const file = fileURLToPath(new URL(SEARCH_INDEX_FILE, server));
        const key = createHash('sha256')
          .update(`schema ${SCHEMA_VERSION}\0`)
          .update(JSON.stringify(records))
          .digest('hex');
        const kept = join(keptDir, `${key}.sqlite`);
        let reused = true;
        try {
          copyFileSync(kept, file);
        } catch {
          reused = false;
          buildSearchIndex(records, file);
          // Only the latest index is kept.
          rmSync(keptDir, { recursive: true, force: true });
          mkdirSync(keptDir, { recursive: true });
          copyFileSync(file, `${kept}.tmp`);
          renameSync(`${kept}.tmp`, kept);
        }
        const kib = Math.round(statSync(file).size / 1024);
        logger.info(
          `${records.length} article(s) ${reused ? 'unchanged since the last build: index copied' : 'indexed'} in ${Math.round(performance.now() - started)} ms (${kib} KiB)`,
        );
      },
    },
  };
}
