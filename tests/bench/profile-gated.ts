/**
 * CPU profile of the built server under gated load (a development aid, not part of `npm run bench`):
 *   node tests/bench/profile-gated.ts [static|anonymous|rendered|members|premium][-br] [seconds]
 * Writes a .cpuprofile into bench-results/profile/ and prints the top self-time functions.
 */
import autocannon from 'autocannon';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTestKeys, mintToken, serverEnv, sessionCookie } from '../support/clerk-session.ts';
import { options, ROOT, startServer } from './lib/common.ts';
import { pickSlugs } from './lib/throughput.ts';

// A `-br` suffix (e.g. `premium-br`) sends `Accept-Encoding: br, gzip` as browsers do.
const [reader = 'premium', encoded] = (process.argv[2] ?? 'premium').split(/-(?=br$)/);
const seconds = Number(process.argv[3] ?? 8);
const port = options.port + 5;
const keys = generateTestKeys();
const outDir = join(ROOT, 'bench-results/profile');
mkdirSync(outDir, { recursive: true });
const server = await startServer(ROOT, port, serverEnv(keys, `http://127.0.0.1:${port}`), [
  '--cpu-prof',
  `--cpu-prof-dir=${outDir}`,
  // A profile is written only on a normal exit, not when a signal ends the process.
  '--import',
  "data:text/javascript,process.once('SIGTERM',()=>process.exit(0))",
]);
const { premiumSlug, publicSlug } = pickSlugs();
// static: a prerendered public article; anonymous: a gated article without a session (the fast path);
// rendered: the same, kept off the fast path by a query parameter; members/premium: signed-in readers.
const tiers: Record<string, string | undefined> = { members: undefined, premium: 'premium' };
const headers: Record<string, string> =
  reader in tiers
    ? {
        cookie: sessionCookie(
          mintToken(keys, {
            azp: `http://127.0.0.1:${port}`,
            userId: `user_${reader}`,
            claims: { metadata: tiers[reader] ? { tier: tiers[reader] } : {} },
            exp: 3600,
          }),
        ),
      }
    : {};
const path =
  reader === 'static'
    ? `/articles/${publicSlug}/`
    : `/members/${premiumSlug}/${reader === 'rendered' ? '?profile=1' : ''}`;
const result = await autocannon({
  url: server.base + path,
  connections: 10,
  duration: seconds,
  headers: { ...headers, ...(encoded ? { 'accept-encoding': 'br, gzip' } : {}) },
});
console.log(`${reader}: ${result.requests.average} req/s, non2xx ${result.non2xx}`);
await server.stop();
const file = readdirSync(outDir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .sort()
  .pop()!;
const profile = JSON.parse(readFileSync(join(outDir, file), 'utf8')) as {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number }[];
};
const total = profile.nodes.reduce((s, n) => s + n.hitCount, 0);
const byFn = new Map<string, number>();
const byPkg = new Map<string, number>();
for (const n of profile.nodes) {
  const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${n.callFrame.lineNumber}`;
  byFn.set(key, (byFn.get(key) ?? 0) + n.hitCount);
  const pkg =
    /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(n.callFrame.url)?.[1] ??
    (n.callFrame.url.includes('/dist/')
      ? 'dist'
      : n.callFrame.url
        ? 'node:' + n.callFrame.url.slice(0, 20)
        : n.callFrame.functionName);
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + n.hitCount);
}
const top = (m: Map<string, number>, k: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([f, h]) => `${((100 * h) / total).toFixed(1).padStart(5)}%  ${f}`)
    .join('\n');
console.log(`\nself time by package/file:\n${top(byPkg, 25)}\n\nself time by function:\n${top(byFn, 40)}\n${file}`);
