/** Writes the search index (see schema.ts) from index records, replacing any previous file. */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { GATED_LEVELS, isGated } from '../gate/membership';
import type { SearchRecord } from './records';
import { ftsTableSql, memberTable, PUBLIC_TABLE, SCHEMA_VERSION } from './schema';

export function buildSearchIndex(records: readonly SearchRecord[], file: string): void {
  const temporary = `${file}.tmp`;
  rmSync(temporary, { force: true });
  const db = new DatabaseSync(temporary);
  try {
    db.exec(`
      PRAGMA journal_mode = OFF;
      PRAGMA synchronous = OFF;
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        slug TEXT NOT NULL UNIQUE,
        access TEXT NOT NULL,
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        tags TEXT NOT NULL,
        pub_ms INTEGER NOT NULL
      );
      ${ftsTableSql(PUBLIC_TABLE)};
      ${GATED_LEVELS.map((level) => ftsTableSql(memberTable(level))).join(';\n')};
    `);
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema', String(SCHEMA_VERSION));
    const article = db.prepare(
      'INSERT INTO articles (id, slug, access, title, description, tags, pub_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const text = (table: string) =>
      db.prepare(`INSERT INTO ${table} (rowid, title, description, tags, body) VALUES (?, ?, ?, ?, ?)`);
    const publicText = text(PUBLIC_TABLE);
    const memberText = new Map(GATED_LEVELS.map((level) => [level, text(memberTable(level))]));

    db.exec('BEGIN');
    records.forEach((record, index) => {
      // Integers as BigInt: node:sqlite binds a JS number as REAL (src/search/search.ts, #hit).
      const id = BigInt(index + 1);
      const tags = record.tags.join(' ');
      article.run(
        id,
        record.slug,
        record.access,
        record.title,
        record.description,
        JSON.stringify(record.tags),
        BigInt(record.pubDate.getTime()),
      );
      publicText.run(id, record.title, record.description, tags, record.publicText);
      if (isGated(record.access)) {
        const whole = [record.publicText, record.memberText].filter(Boolean).join(' ');
        memberText.get(record.access)!.run(id, record.title, record.description, tags, whole);
      }
    });
    db.exec('COMMIT');
    for (const table of [PUBLIC_TABLE, ...GATED_LEVELS.map(memberTable)]) {
      db.exec(`INSERT INTO ${table} (${table}) VALUES ('optimize')`);
    }
    db.exec('VACUUM');
  } finally {
    db.close();
  }
  if (existsSync(file)) rmSync(file);
  renameSync(temporary, file);
}
