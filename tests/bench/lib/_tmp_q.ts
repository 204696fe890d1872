import { SearchIndex } from '../../../src/search/search';
import { parseQuery } from '../../../src/search/query';
import { ANONYMOUS, viewerFromAuth } from '../../../src/lib/access/viewer';
const idx = new SearchIndex(process.argv[2]!);
const premium = viewerFromAuth({ userId: 'u', sessionId: 's', sessionClaims: { metadata: { tier: 'premium' } } });
for (const q of ['cache', 'paywall preview', '"server static"', 'sub*', 'font OR image', 'measure number figure test', 'nonexistentword']) {
  const p = parseQuery(q); if (!p.ok) continue;
  const out = [q];
  for (const [name, v] of [['anon', ANONYMOUS], ['premium', premium]] as const) {
    const c = process.cpuUsage(); let r; for (let i = 0; i < 3; i++) r = idx.search(v, p, 1); const d = process.cpuUsage(c);
    out.push(`${name} ${r!.total} cpu ${((d.user + d.system) / 3000).toFixed(1)} ms`);
  }
  console.log(out.join(' | '));
}
