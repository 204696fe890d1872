import { DatabaseSync } from 'node:sqlite';
const db = new DatabaseSync(process.argv[2]!, { readOnly: true });
const time = (label: string, f: () => unknown) => { const t = performance.now(); const r = f(); console.log(label, (performance.now() - t).toFixed(1), 'ms', Array.isArray(r) ? r.length : JSON.stringify(r)); };
for (let i = 0; i < 2; i++) {
time('all bm25', () => db.prepare(`SELECT rowid AS id, bm25(public_text, 10,4,4,1) AS score FROM public_text WHERE public_text MATCH ?`).all('"cache"'));
time('all rowid only', () => db.prepare(`SELECT rowid AS id FROM public_text WHERE public_text MATCH ?`).all('"cache"'));
time('count', () => db.prepare(`SELECT count(*) n FROM public_text WHERE public_text MATCH ?`).get('"cache"'));
time('order rank limit', () => db.prepare(`SELECT rowid AS id, rank FROM public_text WHERE public_text MATCH ? ORDER BY rank LIMIT 10`).all('"cache"'));
time('order bm25 limit', () => db.prepare(`SELECT rowid AS id, bm25(public_text, 10,4,4,1) s FROM public_text WHERE public_text MATCH ? ORDER BY s LIMIT 10`).all('"cache"'));
time('premium all bm25', () => db.prepare(`SELECT rowid AS id, bm25(member_text_premium, 10,4,4,1) AS score FROM member_text_premium WHERE member_text_premium MATCH ?`).all('"cache"'));
}
