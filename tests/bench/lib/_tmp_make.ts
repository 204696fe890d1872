import { stringify } from 'devalue';
import { parse as parseYaml } from 'yaml';
import { splitAtMarker } from '../../../src/lib/preview';
import { buildSearchIndex } from '../../../src/search/build';
import { parseDataStore, searchRecords } from '../../../src/search/records';
import { article } from './build-scale';
const n = Number(process.argv[2]);
const articles = new Map(); const memberBodies = new Map();
for (let i = 0; i < n; i++) {
  const [, front, body] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(article(i, n))!;
  const data = parseYaml(front!) as Record<string, unknown>;
  const id = `g-${i}`;
  const entry = { ...data, pubDate: new Date(String(data.pubDate)), draft: false };
  const html = body!.split(/\n{2,}/).map((b) => (b.startsWith('<!--') ? b : `<p>${b.replace(/[<&]/g, ' ')}</p>`)).join('\n');
  if (data.access === 'public') articles.set(id, { id, data: entry, rendered: { html } });
  else { articles.set(id, { id, data: entry, rendered: { html: splitAtMarker(html).preview } }); memberBodies.set(id, { id, data: entry, rendered: { html } }); }
}
const t = performance.now();
buildSearchIndex(searchRecords(parseDataStore(stringify(new Map([['articles', articles], ['memberBodies', memberBodies]])))), process.argv[3]!);
console.log('built', performance.now() - t);
