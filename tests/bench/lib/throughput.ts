/**
 * Requests per second and latency (autocannon, interleaved rounds, medians) of a public static article,
 * the gated premium article for anonymous, members-tier and premium readers, and the no-auth SSR
 * baseline rendering the same article; plus each server's peak RSS under that load. Every case runs
 * twice: without Accept-Encoding and with `Accept-Encoding: br, gzip` (what browsers send); ratios are
 * against the baseline measured the same way.
 */
import autocannon from 'autocannon';
import { loadSourceArticles } from '../../support/articles.ts';
import { generateTestKeys, mintToken, serverEnv, sessionCookie } from '../../support/clerk-session.ts';
import { median, options, startServer } from './common.ts';
import { measureLevels } from './compression-levels.ts';
import { startStockServer, stockCase, stockRatios } from './stock-clerk.ts';

const ENCODINGS = [
  { label: '', headers: {} },
  { label: ', br/gzip', headers: { 'accept-encoding': 'br, gzip' } },
] as const;

export interface ThroughputRow {
  case: string;
  encoding: string;
  server: 'site' | 'baseline' | 'stock';
  path: string;
  rps: number;
  p50: number;
  p99: number;
  bytesPerResponse: number;
  errors: number;
  non2xx: number;
  rpsVsBaseline?: number;
  p99VsBaseline?: number;
}

export function pickSlugs() {
  const articles = loadSourceArticles().filter((article) => !article.draft);
  const slug = (level: string) => articles.find((article) => article.access === level)?.slug;
  const publicSlug = slug('public');
  const premiumSlug = slug('premium');
  if (!publicSlug || !premiumSlug) throw new Error('need one public and one premium article');
  return { publicSlug, premiumSlug };
}

export async function runThroughput(siteDir: string, baselineDir: string, stockDir?: string) {
  const { publicSlug, premiumSlug } = pickSlugs();
  const keys = generateTestKeys();
  const sitePort = options.port;
  const baselinePort = options.port + 1;
  const site = await startServer(siteDir, sitePort, serverEnv(keys, `http://127.0.0.1:${sitePort}`));
  const baseline = await startServer(baselineDir, baselinePort, { SITE_URL: `http://127.0.0.1:${baselinePort}` });
  let stock: Awaited<ReturnType<typeof startStockServer>> | undefined;
  try {
    // Long-lived tokens: a run must not outlive its sessions.
    const cookie = (tier: string | undefined) =>
      sessionCookie(
        mintToken(keys, {
          azp: `http://127.0.0.1:${sitePort}`,
          userId: `user_bench_${tier ?? 'none'}`,
          claims: { metadata: tier ? { tier } : {} },
          exp: 6 * 3600,
        }),
      );
    const premiumCookie = cookie('premium');
    if (stockDir) {
      stock = await startStockServer(stockDir, options.port + 2, keys, {
        path: `/members/${premiumSlug}/`,
        premiumCookie,
      });
    }
    const plainCases = [
      { case: 'public static article', server: 'site', path: `/articles/${publicSlug}/`, headers: {} },
      { case: 'gated premium article, anonymous', server: 'site', path: `/members/${premiumSlug}/`, headers: {} },
      {
        // A query parameter no page reads keeps the request off the anonymous fast path: rendered.
        case: 'gated premium article, anonymous, rendered',
        server: 'site',
        path: `/members/${premiumSlug}/?bench=1`,
        headers: {},
      },
      {
        case: 'gated premium article, members-tier reader',
        server: 'site',
        path: `/members/${premiumSlug}/`,
        headers: { cookie: cookie('members') },
      },
      {
        case: 'gated premium article, premium reader',
        server: 'site',
        path: `/members/${premiumSlug}/`,
        headers: { cookie: cookie('premium') },
      },
      {
        // The same reader, with a cookie no page reads that changes on every request, so no request
        // reuses an earlier session decision (src/clerk/verified-sessions.ts): every one pays Clerk's full
        // check, as a member's first request after each token refresh does.
        case: 'gated premium article, premium reader, checked every request',
        server: 'site',
        path: `/members/${premiumSlug}/`,
        headers: { cookie: cookie('premium') },
        unique: true,
      },
      {
        case: 'no-auth SSR baseline, same article',
        server: 'baseline',
        path: `/baseline/${premiumSlug}/`,
        headers: {},
      },
      ...(stock ? [stockCase(premiumSlug, premiumCookie)] : []),
    ] as const;

    const cases = ENCODINGS.flatMap((encoding) =>
      plainCases.map((c) => ({
        ...c,
        case: `${c.case}${encoding.label}`,
        encoding: encoding.label,
        headers: { ...c.headers, ...encoding.headers },
      })),
    );

    // Sanity: each case answers 200 and premium readers get the full text.
    for (const c of cases) {
      const base = c.server === 'site' ? site.base : c.server === 'stock' ? stock!.base : baseline.base;
      // fetch() decompresses on its own, so the checks see the page either way.
      const res = await fetch(base + c.path, { headers: c.headers, redirect: 'manual' });
      const html = await res.text();
      if (res.status !== 200) throw new Error(`${c.case}: HTTP ${res.status}`);
      const full = html.includes('data-access-granted') || html.includes('class="members-only"');
      if (c.case.includes('premium reader') && !full) throw new Error('premium reader did not get the full text');
      if (c.case.includes('anonymous') && html.includes('data-access-granted')) throw new Error('anonymous got text');
    }

    // Compression cost per level, on the page a premium reader gets (uncompressed).
    const premiumPage = await fetch(`${site.base}/members/${premiumSlug}/`, { headers: { cookie: cookie('premium') } });
    const levels = measureLevels(Buffer.from(await premiumPage.arrayBuffer()));

    const samples = new Map<
      string,
      { rps: number[]; p50: number[]; p99: number[]; bytes: number[]; e: number; n: number }
    >();
    for (let round = 0; round < options.rounds; round++) {
      for (const c of cases) {
        const base = c.server === 'site' ? site.base : c.server === 'stock' ? stock!.base : baseline.base;
        let sent = 0;
        const r = await autocannon({
          url: base + c.path,
          headers: c.headers,
          connections: options.connections,
          duration: options.duration,
          ...('unique' in c && c.unique
            ? {
                requests: [
                  {
                    setupRequest: (request: autocannon.Request) => ({
                      ...request,
                      headers: {
                        ...request.headers,
                        cookie: `${(c.headers as { cookie?: string }).cookie}; bench_request=${sent++}`,
                      },
                    }),
                  },
                ],
              }
            : {}),
        });
        const s = samples.get(c.case) ?? { rps: [], p50: [], p99: [], bytes: [], e: 0, n: 0 };
        s.rps.push(r.requests.average);
        s.p50.push(r.latency.p50);
        s.p99.push(r.latency.p99);
        s.bytes.push(r.requests.total ? r.throughput.total / r.requests.total : 0);
        s.e += r.errors + r.timeouts;
        s.n += r.non2xx;
        samples.set(c.case, s);
      }
    }
    // A server that died under load would leave figures that read as results.
    for (const [name, server] of Object.entries({ site, baseline, ...(stock ? { stock } : {}) }))
      if (!server.peakRssMB()) throw new Error(`throughput: the ${name} server exited during the run`);
    const rows: ThroughputRow[] = cases.map((c) => {
      const s = samples.get(c.case)!;
      return {
        case: c.case,
        encoding: c.encoding,
        server: c.server,
        path: c.path,
        rps: Math.round(median(s.rps)),
        p50: median(s.p50),
        p99: median(s.p99),
        bytesPerResponse: Math.round(median(s.bytes)),
        errors: s.e,
        non2xx: s.n,
      };
    });
    for (const r of rows) {
      const base = rows.find((b) => b.server === 'baseline' && b.encoding === r.encoding)!;
      r.rpsVsBaseline = base.rps ? r.rps / base.rps : 0;
      r.p99VsBaseline = base.p99 ? r.p99 / base.p99 : 0;
    }
    return {
      rows,
      levels,
      stockRatios: stockRatios(rows),
      serverPeakRssMB: { site: site.peakRssMB(), baseline: baseline.peakRssMB(), stock: stock?.peakRssMB() },
    };
  } finally {
    await site.stop();
    await baseline.stop();
    await stock?.stop();
  }
}
