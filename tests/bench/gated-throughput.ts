/**
 * Benchmark (not a test): requests per second and latency of a static article, a gated article for an
 * anonymous reader and a gated article for a premium member, on one built server with networkless
 * session verification. Prints a table and writes bench-results/gated-throughput.json.
 *
 *   npm run bench:gated            (DURATION=10 CONNECTIONS=10 ROUNDS=2 by default)
 *
 * Load goes to 127.0.0.1 only and stops after DURATION seconds per run. Compare the ratios from one run;
 * absolute figures move with whatever else the machine is doing.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { generateTestKeys, mintToken, serverEnv, sessionCookie } from '../support/clerk-session.ts';

const ROOT = new URL('../../', import.meta.url);
const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const PORT = Number(process.env.BENCH_PORT ?? 4390);

const articlesDir = new URL('src/content/articles/', ROOT);
const accessOf = (file: string) => /^access:\s*(\w+)/m.exec(readFileSync(new URL(file, articlesDir), 'utf8'))?.[1];
const files = readdirSync(articlesDir).filter(
  (f) => f.endsWith('.md') && !/^draft:\s*true/m.test(readFileSync(new URL(f, articlesDir), 'utf8')),
);
const publicSlug = files.find((f) => accessOf(f) === 'public')!.replace(/\.md$/, '');
const premiumSlug = files.find((f) => accessOf(f) === 'premium')!.replace(/\.md$/, '');

const keys = generateTestKeys();
const base = `http://127.0.0.1:${PORT}`;
const server = spawn(process.execPath, [new URL('dist/server/entry.mjs', ROOT).pathname], {
  env: { ...process.env, ...serverEnv(keys, base), HOST: '127.0.0.1', PORT: String(PORT) },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((resolve) => server.stdout!.on('data', (d) => String(d).includes('listening') && resolve()));

const premium = sessionCookie(
  mintToken(keys, { userId: 'user_bench', claims: { metadata: { tier: 'premium' } }, exp: 3600 }),
);
const cases = [
  { name: 'static public article', path: `/articles/${publicSlug}/`, headers: {} },
  { name: 'gated article, anonymous', path: `/members/${premiumSlug}/`, headers: {} },
  { name: 'gated article, premium member', path: `/members/${premiumSlug}/`, headers: { cookie: premium } },
];

const results: Record<string, { rps: number[]; p50: number[]; p99: number[]; errors: number; non2xx: number }> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const c of cases) {
    const r = await autocannon({
      url: base + c.path,
      headers: c.headers,
      connections: CONNECTIONS,
      duration: DURATION,
    });
    const entry = (results[c.name] ??= { rps: [], p50: [], p99: [], errors: 0, non2xx: 0 });
    entry.rps.push(r.requests.average);
    entry.p50.push(r.latency.p50);
    entry.p99.push(r.latency.p99);
    entry.errors += r.errors;
    entry.non2xx += r.non2xx;
  }
}
const rss = Number(readFileSync(`/proc/${server.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) / 1024;
server.kill();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const staticRps = median(results['static public article']!.rps);
const rows = Object.entries(results).map(([name, r]) => ({
  case: name,
  'req/s': Math.round(median(r.rps)),
  'vs static': `${(median(r.rps) / staticRps).toFixed(2)}x`,
  'p50 ms': median(r.p50),
  'p99 ms': median(r.p99),
  errors: r.errors,
  non2xx: r.non2xx,
}));
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
console.log(
  `\n${ROUNDS} rounds × ${DURATION}s, ${CONNECTIONS} connections, medians; server peak RSS ${Math.round(rss)} MB`,
);
console.log(machine);
console.table(rows);
mkdirSync(new URL('bench-results/', ROOT), { recursive: true });
writeFileSync(
  new URL('bench-results/gated-throughput.json', ROOT),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine,
      duration: DURATION,
      connections: CONNECTIONS,
      rounds: ROUNDS,
      serverPeakRssMB: Math.round(rss),
      rows,
    },
    null,
    2,
  ),
);
