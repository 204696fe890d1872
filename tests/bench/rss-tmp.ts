import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { generateTestKeys, mintToken, serverEnv, sessionCookie } from '../support/clerk-session.ts';
import { ROOT, startServer } from './lib/common.ts';
import { pickSlugs } from './lib/throughput.ts';
const port = 4396;
const keys = generateTestKeys();
const { premiumSlug, publicSlug } = pickSlugs();
const cookie = sessionCookie(
  mintToken(keys, {
    azp: `http://127.0.0.1:${port}`,
    userId: 'u',
    claims: { metadata: { tier: 'premium' } },
    exp: 3600,
  }),
);
const kb = (pid: number, f: string) =>
  Number(new RegExp(`${f}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
for (const c of (process.argv[2] ?? 'static,anon,rendered,premium').split(',')) {
  const s = await startServer(ROOT, port, serverEnv(keys, `http://127.0.0.1:${port}`), process.argv.slice(3));
  const before = kb(s.pid, 'VmRSS');
  const url = c.startsWith('static')
    ? `/articles/${publicSlug}/`
    : `/members/${premiumSlug}/${c.startsWith('rendered') ? '?x=1' : ''}`;
  const r = await autocannon({
    url: s.base + url,
    connections: 32,
    duration: 8,
    headers: {
      ...(c.startsWith('premium') ? { cookie } : {}),
      ...(c.endsWith('-br') ? { 'accept-encoding': 'br, gzip' } : {}),
    },
  });
  console.log(
    c.padEnd(9),
    Math.round(r.requests.average),
    'req/s',
    'idle',
    Math.round(before / 1024),
    'MB; peak',
    Math.round(kb(s.pid, 'VmHWM') / 1024),
    'MB; now',
    Math.round(kb(s.pid, 'VmRSS') / 1024),
  );
  await s.stop();
}
