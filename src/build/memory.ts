/**
 * Asks V8 to favour memory over speed during `astro build`. A build allocates a great deal of
 * short-lived data, and by default V8 lets its heap grow by large factors between collections when the
 * machine has memory to spare. Capping the growth per collection lowers the build's peak at no
 * measurable cost in time (docs/performance.md). It is not a limit: a larger site still gets the memory
 * it needs.
 *
 * `--heap-growing-percent` cannot be given through NODE_OPTIONS, so it is set from inside the build
 * process, before the content is synced. Only for builds: `astro dev` and the server are untouched.
 */
import type { AstroIntegration } from 'astro';
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 20;

export default function buildMemory(): AstroIntegration {
  return {
    name: 'gatepost/build-memory',
    hooks: {
      'astro:config:setup': ({ command }) => {
        if (command === 'build') setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
      },
    },
  };
}
