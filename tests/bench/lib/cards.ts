/**
 * Social cards as the server draws them (`BENCH_ONLY=cards npm run bench`): the built site's server with
 * an empty card directory; every card its pages name is asked for once (drawn on the server's drawing
 * thread, src/social/pool.ts), the directory emptied and again, until BENCH_CARD_DRAWS cards (default 50)
 * were drawn; then each is asked for again (kept: read from disk). Reports the first request (which
 * starts the thread), a drawn and a kept card's median time, and the server's memory before, after, and
 * once the drawing thread has ended (IDLE_MS later).
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { median, options, readStatusKB, scratchDir, startServer } from './common.ts';
import { IDLE_MS } from '../../../src/social/pool.ts';

export interface CardsResult {
  /** Distinct cards the site's pages name. */
  cards: number;
  draws: number;
  firstMs: number;
  drawnMedianMs: number;
  keptMedianMs: number;
  rssBeforeMB: number;
  rssAfterMB: number;
  /** After the drawing thread's idle time (it has ended then); not measured by the smoke run. */
  rssIdleMB: number | null;
  peakRssMB: number;
}

/** The card paths (og:image) the built pages of `site` name. */
function cardPaths(site: string): string[] {
  const paths = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'index.html') {
        const image = /<meta property="og:image" content="([^"]+)"/.exec(readFileSync(path, 'utf8'))?.[1];
        if (image) paths.add(new URL(image).pathname);
      }
    }
  };
  walk(join(site, 'dist', 'client'));
  return [...paths].sort();
}

async function timed(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return performance.now() - started;
}

const rssMB = (pid: number) => Math.round(readStatusKB(pid, 'VmRSS') / 1024);

export async function runCardsBench(site: string, log: (line: string) => void): Promise<CardsResult> {
  const draws = Number(process.env.BENCH_CARD_DRAWS ?? 50);
  const cacheDir = scratchDir('cards');
  const paths = cardPaths(site);
  if (paths.length === 0) throw new Error(`no page of ${site} names a social card`);
  const server = await startServer(site, options.port, { GATEPOST_CARD_CACHE_DIR: cacheDir });
  try {
    // A page first, so that the figure before is of a server that has served something.
    await timed(`${server.base}/`);
    const rssBeforeMB = rssMB(server.pid);
    log(`cards: ${draws} drawn by the server (${paths.length} distinct, the directory emptied between rounds)`);
    const drawn: number[] = [];
    while (drawn.length < draws) {
      for (const path of paths.slice(0, draws - drawn.length)) drawn.push(await timed(`${server.base}${path}`));
      rmSync(cacheDir, { recursive: true, force: true });
    }
    const rssAfterMB = rssMB(server.pid);
    for (const path of paths) await timed(`${server.base}${path}`);
    const kept: number[] = [];
    for (const path of paths) kept.push(await timed(`${server.base}${path}`));
    // The smoke run (CI) does not wait for it.
    let rssIdleMB: number | null = null;
    if (!options.smoke) {
      log(`cards: waiting ${IDLE_MS / 1000 + 5} s for the drawing thread to end`);
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS + 5_000));
      rssIdleMB = rssMB(server.pid);
    }
    return {
      cards: paths.length,
      draws: drawn.length,
      firstMs: drawn[0]!,
      drawnMedianMs: median(drawn.slice(1)),
      keptMedianMs: median(kept),
      rssBeforeMB,
      rssAfterMB,
      rssIdleMB,
      peakRssMB: server.peakRssMB(),
    };
  } finally {
    await server.stop();
  }
}
