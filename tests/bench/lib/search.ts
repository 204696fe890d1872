/**
 * Search: index build time and size for generated archives (the same articles as the cold builds,
 * through the real pipeline from a content data store to the SQLite file, minus Astro's Markdown
 * rendering), then query latency over HTTP at the largest size for an anonymous and a premium reader
 * (sequential requests, so these are per-query latencies, not throughput), and the server's RSS before
 * and after the index is open.
 */
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'devalue';
import { parse as parseYaml } from 'yaml';
import { register } from 'tsx/esm/api';
import { generateTestKeys, mintToken, serverEnv, sessionCookie } from '../../support/clerk-session.ts';
import { article } from './build-scale.ts';
import { median, options, readStatusKB, snapshotDist, startServer } from './common.ts';

export interface SearchBuildRow {
  articles: number;
  seconds: number;
  /** CPU seconds of the build in this process (wall time on a shared machine includes waiting). */
  cpuSeconds: number;
  sizeMB: number;
}

export interface SearchQueryRow {
  reader: string;
  queries: number;
  p50: number;
  p99: number;
  /** Failed requests (not counted in the latencies). */
  errors: number;
  /** CPU time of the query itself in this process (SearchIndex.search), median: steadier than wall time. */
  cpuP50: number;
  cpuP99: number;
}

const QUERIES = [
  'cache',
  'paywall preview',
  '"server static"',
  'sub*',
  'font OR image',
  'measure number figure test',
  'nonexistentword',
];

/** Markdown of the generated articles as the minimal HTML the index reads (paragraphs, the marker kept). */
function toHtml(markdown: string): string {
  return markdown
    .split(/\n{2,}/)
    .map((block) => (block.startsWith('<!--') ? block : `<p>${block.replace(/[<&]/g, ' ')}</p>`))
    .join('\n');
}

// The app's modules import each other without extensions (Vite style); tsx resolves them here.
register();
const { splitRendered } = await import('../../../src/articles/marker.ts');
const { buildSearchIndex } = await import('../../../src/search/build.ts');
const { parseDataStore, searchRecords } = await import('../../../src/search/records.ts');
const { SearchIndex } = await import('../../../src/search/search.ts');
const { parseQuery } = await import('../../../src/search/query.ts');
const { ANONYMOUS, viewerFromAuth } = await import('../../../src/gate/viewer.ts');

/** CPU milliseconds of each query, run in this process against the index file. */
function cpuTimes(file: string, premium: boolean, rounds: number): number[] {
  const index = new SearchIndex(file);
  const viewer = premium
    ? viewerFromAuth({
        userId: 'user_bench',
        sessionId: 'sess_bench',
        sessionClaims: { metadata: { tier: 'premium' } },
      })
    : ANONYMOUS;
  const samples: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      for (const q of QUERIES) {
        const parsed = parseQuery(q);
        if (!parsed.ok) throw new Error(`bench query "${q}" does not parse`);
        const started = process.cpuUsage();
        index.search(viewer, parsed, 1);
        const used = process.cpuUsage(started);
        samples.push((used.user + used.system) / 1000);
      }
    }
  } finally {
    index.close();
  }
  return samples;
}

function generatedStore(n: number): string {
  const articles = new Map<string, unknown>();
  const memberBodies = new Map<string, unknown>();
  for (let i = 0; i < n; i++) {
    const [, front, body] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(article(i, n))!;
    const data = parseYaml(front!) as Record<string, unknown>;
    const id = `generated-article-${String(i + 1).padStart(5, '0')}`;
    const entry = { ...data, pubDate: new Date(String(data.pubDate)), draft: false };
    const html = toHtml(body!);
    if (data.access === 'public') {
      articles.set(id, { id, data: entry, rendered: { html } });
    } else {
      articles.set(id, {
        id,
        data: entry,
        rendered: { html: splitRendered(html, true).preview, metadata: { gatepostMarker: true } },
      });
      memberBodies.set(id, { id, data: entry, rendered: { html } });
    }
  }
  return stringify(
    new Map([
      ['articles', articles],
      ['memberBodies', memberBodies],
    ]),
  );
}

const round1 = (n: number) => Math.round(n * 10) / 10;

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

export async function runSearchBench(sizes: number[]) {
  const dir = mkdtempSync(join(tmpdir(), 'gatepost-bench-search-'));
  const builds: SearchBuildRow[] = [];
  let largest: string | undefined;
  try {
    for (const n of sizes) {
      const storeText = generatedStore(n);
      const file = join(dir, `index-${n}.sqlite`);
      const started = performance.now();
      const cpu = process.cpuUsage();
      buildSearchIndex(searchRecords(parseDataStore(storeText)), file);
      const used = process.cpuUsage(cpu);
      builds.push({
        articles: n,
        seconds: (performance.now() - started) / 1000,
        cpuSeconds: (used.user + used.system) / 1e6,
        sizeMB: statSync(file).size / 2 ** 20,
      });
      largest = file;
    }
    if (!largest) return { builds, queries: [], rss: undefined };

    // The built site with the largest index in place of its own.
    const site = snapshotDist();
    copyFileSync(largest, join(site, 'dist/server/search-index.sqlite'));
    const keys = generateTestKeys();
    const port = options.port + 2;
    const server = await startServer(site, port, serverEnv(keys, `http://127.0.0.1:${port}`));
    try {
      const rssMB = () => Math.round(readStatusKB(server.pid, 'VmRSS') / 1024);
      const beforeOpen = rssMB();
      const premium = sessionCookie(
        mintToken(keys, { userId: 'user_bench_search', claims: { metadata: { tier: 'premium' } }, exp: 6 * 3600 }),
      );
      const readers: [string, Record<string, string>][] = [
        ['anonymous', {}],
        ['premium', { cookie: premium }],
      ];
      let errors = 0;
      // A fresh connection per request: no stale keep-alive socket (the server closes idle ones after 5 s).
      const get = async (q: string, headers: Record<string, string>) => {
        try {
          const response = await fetch(`${server.base}/search/?q=${encodeURIComponent(q)}`, {
            headers: { ...headers, connection: 'close' },
          });
          await response.arrayBuffer();
          if (response.status !== 200) throw new Error(`search "${q}" answered ${response.status}`);
          return true;
        } catch (error) {
          errors += 1;
          console.error(`[bench] search "${q}": ${(error as Error).message}`);
          return false;
        }
      };
      await get('cache', {}); // opens the index
      const afterOpen = rssMB();
      const rounds = options.smoke ? 3 : 40;
      for (const [, headers] of readers) for (const q of QUERIES) await get(q, headers); // warm-up
      const queries: SearchQueryRow[] = [];
      for (const [reader, headers] of readers) {
        const samples: number[] = [];
        errors = 0;
        for (let round = 0; round < rounds; round++) {
          for (const q of QUERIES) {
            const started = performance.now();
            if (await get(q, headers)) samples.push(performance.now() - started);
          }
        }
        queries.push({
          reader,
          queries: samples.length,
          p50: samples.length ? round1(median(samples)) : NaN,
          p99: samples.length ? round1(percentile(samples, 99)) : NaN,
          errors,
          cpuP50: NaN,
          cpuP99: NaN,
        });
      }
      const rss = { beforeOpen, afterOpen, afterQueries: rssMB(), peak: server.peakRssMB(), articles: sizes.at(-1)! };
      for (const row of queries) {
        const cpu = cpuTimes(largest, row.reader === 'premium', rounds);
        row.cpuP50 = round1(median(cpu));
        row.cpuP99 = round1(percentile(cpu, 99));
      }
      return { builds, queries, rss };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
