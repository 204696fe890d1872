/**
 * Benchmark suite (figures, not pass/fail): `npm run bench`. See docs/performance.md.
 *
 *   1. throughput and latency: public static article, gated premium article (anonymous, members-tier,
 *      premium reader) and a no-auth SSR baseline of the same article, with ratios vs the baseline; the
 *      premium reader's case against a scratch copy on stock @clerk/astro (lib/stock-clerk.ts)
 *   2. each server's peak RSS under that load
 *   3. cold build time and peak memory for generated sites of BENCH_ARTICLES articles
 *   4. JavaScript per page type for anonymous and signed-in readers (Chromium)
 *   5. search: index build time and size for BENCH_ARTICLES articles, query p50/p99 over HTTP at the largest
 *      size for anonymous and premium readers, server RSS before and after the index is open
 *   6. members' store: Clerk webhook ingestion (events/s, p99) and a members sync of BENCH_MEMBERS users
 *      from the stand-in's Backend API (time, peak RSS), on SQLite and PostgreSQL (lib/members.ts)
 *   7. social cards: the built server drawing 50 cards on request, then serving them kept (lib/cards.ts)
 *   8. publishing (lib/publish.ts): `npm run publish` at BENCH_ARTICLES articles with a server running from
 *      releases/: cold, nothing changed, one article edited, added, removed (until the server serves it)
 *   9. newsletters (BENCH_ONLY=newsletters): BENCH_NEWSLETTER_RECIPIENTS (100,000) emails through the send
 *      ledger to a local SMTP sink against a plain nodemailer pool, on each store (lib/newsletters.ts)
 *
 * BENCH_DURATION (s per case, 10), BENCH_CONNECTIONS (10), BENCH_ROUNDS (2), BENCH_ARTICLES ("1000,10000"),
 * BENCH_SMOKE=1 (2 s, 1 round, 200 articles), BENCH_ONLY (sections: "throughput,js,build,search,members,cards,publish"),
 * BENCH_MEMBERS (100000), BENCH_WEBHOOKS (5000), BENCH_CARD_DRAWS (50). Load goes to 127.0.0.1 only. Writes bench-results/bench.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBaseline } from './lib/baseline.ts';
import { runBuildScale } from './lib/build-scale.ts';
import { cleanup, ensureDist, machine, options, ROOT, snapshotDist } from './lib/common.ts';
import { runPageJs } from './lib/page-js.ts';
import { runCardsBench } from './lib/cards.ts';
import { runMembersBench } from './lib/members.ts';
import { runPublishBench } from './lib/publish.ts';
import { runSearchBench } from './lib/search.ts';
import { buildStock } from './lib/stock-clerk.ts';
import { pickSlugs, runThroughput } from './lib/throughput.ts';

const started = performance.now();
const log = (msg: string) => console.error(`[bench ${((performance.now() - started) / 1000).toFixed(0)}s] ${msg}`);
const x = (n: number | undefined) => (n === undefined ? '' : `${n.toFixed(2)}x`);
const buildParts = (r: { syncSeconds?: number; prerenderSeconds?: number; precompressSeconds?: number }) =>
  `content sync ${r.syncSeconds?.toFixed(1)} s, prerender ${r.prerenderSeconds?.toFixed(1)} s, precompress ${r.precompressSeconds?.toFixed(1)} s`;
const onSignal = () => void cleanup().then(() => process.exit(130));
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

try {
  const info = machine();
  log(`machine: ${info.cpuModel}, ${info.cores} cores, ${info.memoryGiB} GiB, Node ${info.node}`);
  log(`options: ${JSON.stringify(options)}`);
  const distBuild = await ensureDist();
  if (distBuild) log(`built dist/ (${distBuild.seconds.toFixed(1)} s)`);
  const site = snapshotDist();
  const run = (section: string) => options.only.includes(section);
  let baseline: Awaited<ReturnType<typeof buildBaseline>> | undefined;
  let throughput: Awaited<ReturnType<typeof runThroughput>> | undefined;
  let stock: Awaited<ReturnType<typeof buildStock>> | undefined;
  if (run('throughput')) {
    log('building the no-auth SSR baseline');
    baseline = await buildBaseline();
    log(`baseline built in ${baseline.build.seconds.toFixed(1)} s; throughput`);
    log('building the stock @clerk/astro copy');
    stock = await buildStock();
    log(`stock copy (${stock.packages.join(', ')}) built in ${stock.build.seconds.toFixed(1)} s; throughput`);
    throughput = await runThroughput(site, baseline.dir, stock.dir);
  }
  let pageJs: Awaited<ReturnType<typeof runPageJs>> | undefined;
  if (run('js')) {
    log('JavaScript per page (Chromium)');
    pageJs = await runPageJs(site, pickSlugs());
  }
  let scale: Awaited<ReturnType<typeof runBuildScale>> = [];
  if (run('build')) {
    log(`cold builds: ${options.articles.join(', ')} articles`);
    scale = await runBuildScale(options.articles);
  }

  let search: Awaited<ReturnType<typeof runSearchBench>> | undefined;
  if (run('search')) {
    log(`search: index builds for ${options.articles.join(', ')} articles, queries at the largest`);
    search = await runSearchBench(options.articles);
  }

  const cards = run('cards') ? await runCardsBench(site, log) : undefined;
  let publishing: Awaited<ReturnType<typeof runPublishBench>> = [];
  if (run('publish')) {
    log(`publishing: ${options.articles.join(', ')} articles`);
    publishing = await runPublishBench(options.articles, log);
  }
  let members: Awaited<ReturnType<typeof runMembersBench>> | undefined;
  if (run('members')) members = await runMembersBench(site, log);
  let newsletters: Awaited<ReturnType<typeof import('./lib/newsletters.ts').runNewsletterBench>> | undefined;
  if (run('newsletters')) {
    log('newsletters: the send ledger against a plain nodemailer pool');
    // Loaded only when asked: it registers tsx to import the app's modules.
    const { runNewsletterBench } = await import('./lib/newsletters.ts');
    newsletters = await runNewsletterBench(undefined, log);
  }

  const rows: Record<string, string | number>[] = [];
  if (cards) {
    rows.push({
      section: 'social cards',
      case: `${cards.draws} drawn on request (${cards.cards} distinct)`,
      value: `first ${cards.firstMs.toFixed(0)} ms (starts the thread), drawn ${cards.drawnMedianMs.toFixed(1)} ms, kept ${cards.keptMedianMs.toFixed(1)} ms (medians)`,
      note: `server RSS ${cards.rssBeforeMB} MB before, ${cards.rssAfterMB} MB after, ${cards.rssIdleMB ?? '–'} MB once the thread ended (peak ${cards.peakRssMB} MB)`,
    });
  }
  for (const r of members?.ingestion ?? []) {
    rows.push({
      section: 'members',
      case: `webhook ingestion, ${r.store}`,
      value: `${r.eventsPerSecond} events/s, p50 ${r.p50} ms, p99 ${r.p99} ms`,
      note: `${r.events} events in ${r.seconds.toFixed(1)} s, 16 senders, ${r.errors} errors`,
    });
  }
  for (const r of members?.sync ?? []) {
    rows.push({
      section: 'members',
      case: `sync of ${r.users} users, ${r.store}`,
      value: `${r.seconds.toFixed(1)} s, ${r.peakRssMB} MB peak (sync process)`,
      note: r.summary,
    });
  }
  for (const r of throughput?.rows ?? []) {
    rows.push({
      section: 'throughput',
      case: r.case,
      value: `${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`,
      'vs baseline': `${x(r.rpsVsBaseline)} req/s, ${x(r.p99VsBaseline)} p99`,
      note: `${(r.bytesPerResponse / 1024).toFixed(1)} KB/resp, ${r.errors} errors, ${r.non2xx} non-2xx`,
    });
  }
  for (const r of throughput?.stockRatios ?? []) {
    rows.push({
      section: 'stock Clerk',
      case: `Gatepost premium / stock @clerk/astro premium${r.encoding}`,
      value: `${x(r.rps)} req/s, ${x(r.p99)} p99`,
    });
  }
  if (throughput?.serverPeakRssMB.stock !== undefined) {
    rows.push({
      section: 'server RSS',
      case: 'stock @clerk/astro copy',
      value: `${throughput.serverPeakRssMB.stock} MB peak`,
    });
  }
  for (const l of throughput?.levels ?? []) {
    rows.push({
      section: 'compression',
      case: `${l.method} level ${l.level}, premium page`,
      value: `${l.cpuMs} ms CPU per response`,
      note: `${(l.bytes / 1024).toFixed(1)} KB`,
    });
  }
  if (throughput) {
    rows.push(
      { section: 'server RSS', case: 'site (dist/, keys)', value: `${throughput.serverPeakRssMB.site} MB peak` },
      { section: 'server RSS', case: 'no-auth baseline', value: `${throughput.serverPeakRssMB.baseline} MB peak` },
    );
  }
  for (const r of pageJs?.rows ?? []) {
    rows.push({
      section: 'page JS',
      case: `${r.reader}, ${r.page}`,
      value: `${r.totalGzipKB} KB gzip total`,
      note:
        `${r.scripts} files ${r.gzipKB} KB gz (${r.rawKB} KB raw), inline ${r.inlineGzipKB} KB gz` +
        (r.clerkGzipKB ? `, Clerk ${r.clerkGzipKB.toFixed(1)} KB gz` : '') +
        (r.clerkHostRequests.length
          ? `, asked Clerk host: ${r.clerkHostRequests.join(' ')}`
          : ', nothing from Clerk host'),
    });
  }
  for (const r of scale) {
    rows.push({
      section: 'cold build',
      case: `${r.articles} articles (~${r.avgArticleKB.toFixed(1)} KB each)`,
      value: `${r.seconds.toFixed(1)} s, ${r.peakRssMB} MB peak`,
      note: `${r.pages} HTML pages`,
    });
  }
  const [small, large] = [scale[0], scale[scale.length - 1]];
  const scaleRatio = small && large && large !== small ? large.seconds / small.seconds : undefined;
  if (small && large && scaleRatio) {
    rows.push({
      section: 'cold build',
      case: `${large.articles}/${small.articles} time ratio`,
      value: x(scaleRatio),
      note: `${large.articles / small.articles}x the articles`,
    });
  }
  for (const r of search?.builds ?? []) {
    rows.push({
      section: 'search',
      case: `index build, ${r.articles} articles`,
      value: `${r.seconds.toFixed(2)} s (${r.cpuSeconds.toFixed(2)} s CPU), ${r.sizeMB.toFixed(1)} MB`,
      note: 'data store → records → SQLite FTS5 file',
    });
  }
  for (const r of search?.queries ?? []) {
    rows.push({
      section: 'search',
      case: `query at ${search!.rss!.articles} articles, ${r.reader}`,
      value: `p50 ${r.p50} ms, p99 ${r.p99} ms (HTTP)`,
      note: `${r.queries} sequential requests, ${r.errors} errors; query CPU p50 ${r.cpuP50} ms, p99 ${r.cpuP99} ms`,
    });
  }
  if (search?.rss) {
    const { beforeOpen, afterOpen, afterQueries, peak, articles } = search.rss;
    rows.push({
      section: 'search',
      case: `server RSS, ${articles}-article index`,
      value: `${beforeOpen} MB before open, ${afterOpen} MB open, ${afterQueries} MB after queries`,
      note: `${peak} MB peak`,
    });
  }
  for (const r of scale.filter((r) => r.searchIndexMs !== undefined)) {
    rows.push({
      section: 'search',
      case: `index step of the cold build, ${r.articles} articles`,
      value: `${(r.searchIndexMs! / 1000).toFixed(2)} s, ${(r.searchIndexKB! / 1024).toFixed(1)} MB`,
    });
  }
  for (const r of publishing) {
    rows.push({
      section: 'publish',
      case: `${r.articles} articles, ${r.step}`,
      value: `${r.seconds.toFixed(1)} s, ${r.peakRssMB} MB peak`,
      note:
        r.step === 'cold publish'
          ? `no server yet; build ${r.buildSeconds?.toFixed(1)} s (${buildParts(r)}), check ${r.checkSeconds?.toFixed(1)} s`
          : `until served; the command ${r.commandSeconds.toFixed(1)} s: build ${r.buildSeconds?.toFixed(1)} s (${buildParts(r)}), check ${r.checkSeconds?.toFixed(1)} s, switch ${r.switchSeconds?.toFixed(1)} s`,
    });
  }
  for (const r of newsletters ?? []) {
    rows.push({
      section: 'newsletters',
      case: `${r.recipients} recipients, ${r.store}`,
      value: `${r.ledgerPerSecond} emails/s through the ledger, ${x(r.ratio)} the plain pool (${r.plainPerSecond}/s)`,
      note: `queued in ${r.queueMs} ms; sender's peak RSS ${r.senderPeakRssMiB} MiB (${r.senderStartRssMiB} MiB before the send; plain pool's ${r.plainPeakRssMiB} MiB); load ${r.loadPlain} / ${r.loadLedger}`,
    });
  }
  if (baseline) {
    rows.push({
      section: 'cold build',
      case: 'baseline scratch copy (sample site, no middleware)',
      value: `${baseline.build.seconds.toFixed(1)} s, ${baseline.build.peakRssMB} MB peak`,
    });
  }

  console.log(
    `\nGatepost benchmarks, ${new Date().toISOString()}: ${info.cpuModel}, ${info.cores} cores, ${info.memoryGiB} GiB, ` +
      `Node ${info.node}; ${options.rounds} round(s) x ${options.duration} s per case, ${options.connections} connections, medians` +
      (options.smoke ? ' (SMOKE: figures are not meaningful)' : ''),
  );
  console.table(rows);

  mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
  const out = join(ROOT, 'bench-results/bench.json');
  writeFileSync(
    out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: info,
        options,
        throughput: throughput?.rows,
        serverPeakRssMB: throughput?.serverPeakRssMB,
        newsletters,
        stockClerk: stock && {
          packages: stock.packages,
          buildSeconds: stock.build.seconds,
          ratios: throughput?.stockRatios,
        },
        pageJs: pageJs?.rows,
        clerkPackageScripts: pageJs?.clerkPackageScripts,
        buildScale: scale,
        search,
        members,
        cards,
        publishing,
        buildScaleTimeRatio: scaleRatio,
        baselineBuild: baseline && { seconds: baseline.build.seconds, peakRssMB: baseline.build.peakRssMB },
        wallSeconds: (performance.now() - started) / 1000,
      },
      null,
      2,
    ) + '\n',
  );
  log(`wrote ${out}`);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanup();
}
