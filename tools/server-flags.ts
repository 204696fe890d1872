/**
 * How the production server is started: `npm start` (with keys, and the demo without), `npm run serve`,
 * and every server the tests and benchmarks start. Kept in one place; `package.json`'s `serve` script
 * repeats it, and a unit test checks the two agree.
 *
 * The program is dist/server/gatepost.mjs, which the build bundles from src/server (Gatepost's Fastify
 * server around Astro's handler); it needs only dist/ and node_modules.
 *
 * `--max-semi-space-size=8`: V8 sizes its young generation from the machine's memory, and on a large
 * machine it lets it grow to many times this. Under sustained server-rendering that is a large share of
 * the server's resident memory, for no throughput we could measure (docs/performance.md, "Server
 * memory"); with the flag below, a smaller young generation costs nothing we could measure either.
 *
 * `--heap-growing-percent=50`: after a full collection V8 lets the old generation grow to up to four
 * times what survived before collecting again. A server's survivors are mostly the garbage of requests
 * in flight, so under load the old generation, and the response buffers its dead objects hold, reached
 * several times the live heap. Growing by half the live heap instead keeps the peak near the live size,
 * at no throughput cost we could measure (docs/performance.md, "Server memory").
 */
import { join } from 'node:path';
import { SERVER_PROGRAM } from '../src/server/program.ts';

export { SERVER_PROGRAM };

export const SERVER_NODE_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=50'] as const;

/** Node arguments that run the server of the build in `distDir` (default: ./dist). */
export function serverArgs(distDir = './dist', extraNodeArgs: readonly string[] = []): string[] {
  return [
    ...SERVER_NODE_FLAGS,
    ...extraNodeArgs,
    distDir === './dist' ? `./dist/${SERVER_PROGRAM}` : join(distDir, SERVER_PROGRAM),
  ];
}
