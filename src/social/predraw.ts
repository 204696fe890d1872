/**
 * Draws the cards a build needs and does not have yet, before Astro renders the card endpoints, on a
 * pool of worker threads (one per core): a card takes tens of milliseconds of CPU on one thread, which
 * on a cold build of a large site would otherwise run one card at a time. The endpoints then find every
 * card in the cache (./render.ts). Build-time only.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { cardKey, type CardContent } from './card';
import { CARD_CACHE_DIR } from './render';

/** The drawing thread's program, from the project's sources (the build runs in the project). */
const WORKER_FILE = join(process.cwd(), 'src', 'social', 'draw-worker.ts');

/** Below this many missing cards, starting threads costs more than it saves: the endpoints draw them. */
const MIN_CARDS = 16;

/**
 * Draws into `cacheDir` every card of `cards` not there yet, `threads` at a time. Returns how many it
 * drew. When the thread program is missing (a build run from elsewhere), draws nothing: each endpoint
 * then draws its own card.
 */
export async function predrawCards(
  cards: readonly CardContent[],
  { cacheDir = CARD_CACHE_DIR, threads = availableParallelism() }: { cacheDir?: string; threads?: number } = {},
): Promise<number> {
  const missing = new Map<string, CardContent>();
  for (const card of cards) {
    const key = cardKey(card);
    if (!missing.has(key) && !existsSync(join(cacheDir, `${key}.png`))) missing.set(key, card);
  }
  if (missing.size < MIN_CARDS || !existsSync(WORKER_FILE)) return 0;
  mkdirSync(cacheDir, { recursive: true });
  const queue = [...missing];
  const pool = Array.from({ length: Math.max(1, Math.min(threads, queue.length)) }, () => new Worker(WORKER_FILE));
  try {
    await Promise.all(pool.map((worker) => drain(worker, queue, cacheDir)));
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return missing.size;
}

/** Sends `worker` the next card of `queue` until none is left, keeping each PNG as ./render.ts does. */
function drain(worker: Worker, queue: [string, CardContent][], cacheDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let current: string | undefined;
    const next = () => {
      const item = queue.shift();
      if (!item) return resolve();
      current = item[0];
      worker.postMessage(item[1]);
    };
    worker.on('message', ({ png, error }: { png?: Uint8Array; error?: string }) => {
      if (!png) return reject(new Error(`social card ${current}: ${error}`));
      const file = join(cacheDir, `${current}.png`);
      // Written aside and renamed, as ./render.ts does: a reader never sees half a file.
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, png);
      renameSync(partial, file);
      next();
    });
    worker.on('error', reject);
    next();
  });
}
