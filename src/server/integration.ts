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

export const SERVER_PROGRAM = 'gatepost.mjs';
/** `npm run db:migrate`, `db:backup`, `members:sync` (src/members/cli.ts). */
export const MEMBERS_PROGRAM = 'members.mjs';

export default function gatepostServer(): AstroIntegration {
  let client: URL | undefined;
  let server: URL | undefined;
  return {
    name: 'gatepost/server',
    hooks: {
      'astro:config:setup': ({ injectRoute }) => {
        injectRoute({ pattern: '/readyz', entrypoint: new URL('./readyz.ts', import.meta.url), prerender: false });
      },
      'astro:config:done': ({ config }) => {
        client = config.build.client;
        server = config.build.server;
      },
      'astro:build:done': async ({ logger }) => {
        if (!client || !server) return;
        const started = performance.now();
        const { files, bytes, saved } = await precompressClientFiles(fileURLToPath(client));
        logger.info(
          `precompressed ${files} files (${(bytes / 1024).toFixed(0)} KB, brotli saves ${(saved / 1024).toFixed(0)} KB) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
        const program = (entry: URL, name: string) =>
          build({
            entryPoints: [fileURLToPath(entry)],
            outfile: fileURLToPath(new URL(name, server)),
            bundle: true,
            packages: 'external',
            platform: 'node',
            format: 'esm',
            target: 'node22',
            legalComments: 'none',
            logLevel: 'warning',
          });
        await program(new URL('./main.ts', import.meta.url), SERVER_PROGRAM);
        await program(new URL('../members/cli.ts', import.meta.url), MEMBERS_PROGRAM);
        logger.info(`server program: ${fileURLToPath(new URL(SERVER_PROGRAM, server))}`);
      },
    },
  };
}
