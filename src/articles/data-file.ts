/**
 * Keeps the content data store out of the bundler: Astro turns `.cache/astro/data-store.json` (every
 * article's rendered HTML) into one JavaScript module, `export default JSON.parse("<the whole file>")`,
 * which Vite then passes through every plugin and Rolldown parses, transforms and writes, once for the
 * server and once for prerendering. On a large site that dominates the build's time and memory
 * (figures in docs/performance.md).
 *
 * This plugin answers for the same virtual module with a few lines that read the JSON file next to the
 * built chunk at run time (`JSON.parse` of the same text, so Astro gets exactly the data it would have
 * had), and copies the file there after the bundle is written. Builds only; `astro dev` is untouched.
 *
 * The copied file is server-side only (dist/server, never served) and, like the module it replaces,
 * holds the full text of gated articles: the leak guard (tests/support/leak-scan.ts) allows member text
 * in dist/server only in this file.
 */
import type { AstroIntegration } from 'astro';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { linkOrCopy } from '../build/files';

/** Astro's id for the content data module (astro/dist/content/consts.js). */
const RESOLVED_DATA_STORE_ID = '\0astro:data-layer-content';
/** The file's name next to the chunk that reads it. */
const CONTENT_DATA_FILE = 'content-data-store.json';

function contentDataFilePlugin(storeFile: string): Plugin {
  return {
    name: 'gatepost:content-data-file',
    enforce: 'pre',
    load: {
      filter: { id: new RegExp(`^${RESOLVED_DATA_STORE_ID}$`) },
      handler() {
        // No store (no collections synced): Astro's own empty module is right.
        if (!existsSync(storeFile)) return null;
        return {
          code: [
            `import { readFileSync } from 'node:fs';`,
            `const file = new URL(${JSON.stringify(`./${CONTENT_DATA_FILE}`)}, import.meta.url);`,
            `let text;`,
            `try {`,
            `  text = readFileSync(file, 'utf8');`,
            `} catch (error) {`,
            // Astro catches a failing import of this module and carries on with no content at all,
            // which would quietly turn every article into a 404; say what is missing.
            `  console.error('[gatepost] content data missing: ' + file.pathname + ' (copy dist/ whole when deploying)');`,
            `  throw error;`,
            `}`,
            `export default JSON.parse(text);`,
          ].join('\n'),
          map: { mappings: '' },
          // Same marker as Astro's module, so incremental builds still treat it as content data.
          meta: { astroIncremental: { kind: 'content-data' } },
        };
      },
    },
    writeBundle(options, bundle) {
      if (!options.dir || !existsSync(storeFile)) return;
      for (const output of Object.values(bundle)) {
        if (output.type === 'chunk' && output.moduleIds.includes(RESOLVED_DATA_STORE_ID)) {
          const target = join(options.dir, dirname(output.fileName), CONTENT_DATA_FILE);
          // A hard link where possible, not a copy of a file that is tens of megabytes on a large site:
          // Astro replaces the store by renaming a new file over it (data-store-writer.js), never by
          // writing into it, so the link keeps this build's bytes after later builds.
          linkOrCopy(storeFile, target);
        }
      }
    },
  };
}

export default function contentDataFile(): AstroIntegration {
  let storeFile: string | undefined;
  return {
    name: 'gatepost/content-data-file',
    hooks: {
      'astro:config:setup': ({ command, config }) => {
        if (command !== 'build') return;
        // Astro's chunked storage (experimental.collectionStorage) uses other modules; leave it alone.
        const storage = (config.experimental as { collectionStorage?: unknown }).collectionStorage;
        if (storage !== undefined && storage !== 'single-file') return;
        storeFile = join(fileURLToPath(config.cacheDir), 'data-store.json');
      },
      'astro:build:setup': ({ vite }) => {
        // First in the list: Astro's own plugin for this module is also `enforce: 'pre'`, and the first
        // plugin to load a module wins. (Plugins added through updateConfig would come after Astro's.)
        if (storeFile) vite.plugins = [contentDataFilePlugin(storeFile), ...(vite.plugins ?? [])];
      },
    },
  };
}
