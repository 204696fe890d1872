/**
 * Build-time half of the server feature:
 * - injects GET /readyz (./readyz.ts);
 * - after the build, compresses dist/client's text files into `.br`/`.gz` beside them (./compression.ts)
 *   and bundles the server program (./main.ts and what it imports) into dist/server/gatepost.mjs, a new
 *   file next to Astro's entry.mjs (which it imports at run time; Astro's own output is not changed).
 *   Packages (fastify, …) stay imports resolved from node_modules.
 */
import type { AstroIntegration } from 'astro';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { precompressClientFiles } from './compression';
import { SERVER_PROGRAM } from './program';

export default function gatepostServer(): AstroIntegration {
  let client: URL | undefined;
  let program: URL | undefined;
  return {
    name: 'gatepost/server',
    hooks: {
      'astro:config:setup': ({ injectRoute }) => {
        injectRoute({ pattern: '/readyz', entrypoint: new URL('./readyz.ts', import.meta.url), prerender: false });
      },
      'astro:config:done': ({ config }) => {
        client = config.build.client;
        program = new URL(SERVER_PROGRAM, config.outDir);
        // The program imports Astro's server entry (entry.mjs) from its own directory.
        if (new URL('.', program).href !== config.build.server.href) {
          throw new Error(`gatepost/server: build.server must be the directory of ${SERVER_PROGRAM} in outDir`);
        }
      },
      'astro:build:done': async ({ logger }) => {
        if (!client || !program) return;
        const started = performance.now();
        const { files, bytes, saved } = await precompressClientFiles(fileURLToPath(client));
        logger.info(
          `precompressed ${files} files (${(bytes / 1024).toFixed(0)} KB, brotli saves ${(saved / 1024).toFixed(0)} KB) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
        await build({
          entryPoints: [fileURLToPath(new URL('./main.ts', import.meta.url))],
          outfile: fileURLToPath(program),
          bundle: true,
          packages: 'external',
          platform: 'node',
          format: 'esm',
          target: 'node22',
          legalComments: 'none',
          logLevel: 'warning',
        });
        logger.info(`server program: ${fileURLToPath(program)}`);
      },
    },
  };
}
