/**
 * Build-time half of the server feature:
 * - injects GET /readyz (./readyz.ts) and the compression of rendered responses (./rendered-compression.ts,
 *   an Astro middleware that runs before the site's own);
 * - after the build, compresses dist/client's text files into `.br`/`.gz` beside them (./compression.ts),
 *   reusing what an earlier build compressed from the same bytes (kept in cacheDir, gatepost-precompressed/)
 *   and bundles the server program (./main.ts and what it imports) into dist/server/gatepost.mjs, a new
 *   file next to Astro's entry.mjs (which it imports at run time; Astro's own output is not changed).
 *   Packages (fastify, …) stay imports resolved from node_modules. The members CLI (src/members/cli.ts)
 *   is bundled the same way into dist/server/members.mjs, and the social cards' drawing thread
 *   (src/social/draw-worker.ts) into dist/server/card-worker.mjs, which the server program starts.
 */
import type { AstroIntegration } from 'astro';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { precompressClientFiles } from './compression';
import { CARD_WORKER_PROGRAM, MEMBERS_PROGRAM, SERVER_PROGRAM } from './program';

export default function gatepostServer(): AstroIntegration {
  let client: URL | undefined;
  let program: URL | undefined;
  let outDir: URL | undefined;
  let cacheDir: URL | undefined;
  return {
    name: 'gatepost/server',
    hooks: {
      'astro:config:setup': ({ injectRoute, addMiddleware }) => {
        injectRoute({ pattern: '/readyz', entrypoint: new URL('./readyz.ts', import.meta.url), prerender: false });
        // Before the site's middleware, so it compresses the response that middleware leaves.
        addMiddleware({ entrypoint: new URL('./rendered-compression.ts', import.meta.url), order: 'pre' });
      },
      'astro:config:done': ({ config }) => {
        client = config.build.client;
        outDir = config.outDir;
        cacheDir = new URL('gatepost-precompressed/', config.cacheDir);
        program = new URL(SERVER_PROGRAM, config.outDir);
        // The program imports Astro's server entry (entry.mjs) from its own directory.
        if (new URL('.', program).href !== config.build.server.href) {
          throw new Error(`gatepost/server: build.server must be the directory of ${SERVER_PROGRAM} in outDir`);
        }
      },
      'astro:build:done': async ({ logger }) => {
        if (!client || !program || !outDir || !cacheDir) return;
        const started = performance.now();
        const { files, compressed, bytes, saved } = await precompressClientFiles(fileURLToPath(client), {
          cacheDir: fileURLToPath(cacheDir),
        });
        logger.info(
          `precompressed ${files} files (${compressed} compressed now, the rest unchanged since the last build; ${(bytes / 1024).toFixed(0)} KB, brotli saves ${(saved / 1024).toFixed(0)} KB) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
        const bundle = (entry: URL, outfile: URL) =>
          build({
            entryPoints: [fileURLToPath(entry)],
            outfile: fileURLToPath(outfile),
            bundle: true,
            packages: 'external',
            platform: 'node',
            format: 'esm',
            target: 'node22',
            legalComments: 'none',
            logLevel: 'warning',
          });
        await bundle(new URL('./main.ts', import.meta.url), program);
        await bundle(new URL('../members/cli.ts', import.meta.url), new URL(MEMBERS_PROGRAM, outDir));
        await bundle(new URL('../social/draw-worker.ts', import.meta.url), new URL(CARD_WORKER_PROGRAM, outDir));
        logger.info(`server program: ${fileURLToPath(program)}`);
      },
    },
  };
}
