/**
 * Node flags for the production server: `npm start` (with keys, and the demo without), `npm run serve`,
 * and every server the tests and benchmarks start. Kept in one place; `package.json`'s `serve` script
 * repeats them, and a unit test checks the two agree.
 *
 * `--max-semi-space-size=16`: V8 sizes its young generation from the machine's memory, and on a large
 * machine it lets it grow to several times this. Under sustained server-rendering that is a large share
 * of the server's resident memory, for no throughput we could measure (docs/performance.md). 16 MB
 * semi-spaces are what V8 uses on smaller machines anyway.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=16'] as const;
