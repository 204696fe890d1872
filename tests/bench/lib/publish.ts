/**
 * Publishing (issue 25): `npm run publish` (tools/publish.ts) on generated sites of N articles, in a
 * scratch copy of the project with a server running from releases/current (one worker): the first
 * (cold) publish, then a publish with nothing changed, one article edited, one added and one removed.
 * Each change is timed end to end, from the command's start to the running server answering with the
 * change (the edited title, the new page, a 404 for the removed one); peak RSS is the largest process of
 * the command (GNU time: the build, the check's server or the command itself).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { article } from './build-scale.ts';
import { options, ROOT, scratchProject, startServer, timedNode, type Server } from './common.ts';
import { ARTICLES_DIR } from '../../../src/articles/folder.ts';

export interface PublishRow {
  articles: number;
  step: 'cold publish' | 'no change' | 'one edited' | 'one added' | 'one removed';
  /** From the command's start until the server answers with the change. */
  seconds: number;
  /** The command's own time (build, check, switch). */
  commandSeconds: number;
  /** Of that, the build, the check and the switch (new workers ready, as the server reports it). */
  buildSeconds?: number;
  checkSeconds?: number;
  switchSeconds?: number;
  /** Parts of the build, from Astro's log: content sync, prerendering (rendered or restored), precompression. */
  syncSeconds?: number;
  prerenderSeconds?: number;
  precompressSeconds?: number;
  peakRssMB: number;
}

const file = (i: number) => `generated-article-${String(i + 1).padStart(5, '0')}.md`;
const slug = (i: number) => file(i).replace(/\.md$/, '');

/** Seconds from Astro's durations: `684ms`, `4.31s`, `1m 12s`. */
function astroSeconds(text: string | undefined): number {
  if (!text) return NaN;
  let seconds = 0;
  for (const [, n, unit] of text.matchAll(/([\d.]+)(ms|m|s)/g)) {
    seconds += Number(n) * (unit === 'ms' ? 0.001 : unit === 'm' ? 60 : 1);
  }
  return seconds;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`publish bench: ${what} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function runPublishBench(sizes: number[], log: (msg: string) => void): Promise<PublishRow[]> {
  const rows: PublishRow[] = [];
  for (const n of sizes) {
    const dir = scratchProject(`publish-${n}`);
    cpSync(join(ROOT, 'tools'), join(dir, 'tools'), { recursive: true });
    const articles = join(dir, ARTICLES_DIR);
    rmSync(articles, { recursive: true, force: true });
    mkdirSync(articles, { recursive: true });
    for (let i = 0; i < n; i++) writeFileSync(join(articles, file(i)), article(i, n));
    const dataDir = mkdtempSync(join(tmpdir(), 'gatepost-bench-publish-data-'));
    // The server must not publish by itself while the bench does.
    const env = {
      GATEPOST_DATA_DIR: dataDir,
      GATEPOST_AUTO_PUBLISH_CHECK_SECONDS: '0',
      GATEPOST_MEMBERS_SYNC_MINUTES: '0',
    };
    let server: Server | undefined;
    const publish = async (step: PublishRow['step'], served: (base: string) => Promise<boolean>) => {
      const started = performance.now();
      const result = await timedNode(dir, ['tools/publish.ts'], env);
      if (!result.ok)
        throw new Error(`publish bench, ${n} articles, ${step}: the command failed:\n${result.output.slice(-4000)}`);
      if (server) await until(() => served(server!.base), `${step}: the server did not serve the change`);
      const row = {
        articles: n,
        step,
        seconds: (performance.now() - started) / 1000,
        commandSeconds: result.seconds,
        peakRssMB: result.peakRssMB,
        // As tools/publish.ts reports them.
        buildSeconds: Number(/built in ([\d.]+) s/.exec(result.output)?.[1] ?? NaN),
        checkSeconds: Number(/checked in ([\d.]+) s/.exec(result.output)?.[1] ?? NaN),
        syncSeconds: astroSeconds(/\[types\] Generated ([\dms. ]+)/.exec(result.output)?.[1]),
        prerenderSeconds: astroSeconds(
          /prerendering static routes[\s\S]*?Completed in ([\dms. ]+)\./.exec(result.output)?.[1],
        ),
        precompressSeconds: Number(/precompressed [^\n]* in ([\d.]+) s/.exec(result.output)?.[1] ?? NaN),
        switchSeconds: Number(/switched to \S+ in (\d+) ms/.exec(result.output)?.[1] ?? NaN) / 1000,
      };
      log(`publish, ${n} articles, ${step}: ${row.seconds.toFixed(1)} s, ${row.peakRssMB} MB peak`);
      rows.push(row);
    };
    try {
      await publish('cold publish', async () => true);
      server = await startServer(dir, options.port + 7, env, [], join(dir, 'releases/current'));
      const page = (base: string, i: number) => fetch(`${base}/articles/${slug(i)}/`);

      await publish('no change', async () => true);

      const edited = join(articles, file(1));
      writeFileSync(edited, readFileSync(edited, 'utf8').replace(/^title: .*$/m, 'title: "Edited for the bench"'));
      await publish('one edited', async (base) =>
        (await (await page(base, 1)).text()).includes('Edited for the bench'),
      );

      writeFileSync(join(articles, file(n)), article(n, n));
      await publish('one added', async (base) => (await page(base, n)).status === 200);

      rmSync(join(articles, file(2)));
      await publish('one removed', async (base) => (await page(base, 2)).status === 404);
    } finally {
      await server?.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
