/**
 * `npm run db:backup -- FILE`: a consistent copy of the SQLite members' store, safe while the server
 * runs. `VACUUM INTO` reads one snapshot (WAL readers never block the writer or wait for it) and writes
 * a compact, self-contained database file. PostgreSQL is backed up with its own tools (docs/deploy.md).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { StoreConfig } from './config';

export function backupSqlite(config: StoreConfig, target: string): { file: string; bytes: number } {
  if (config.kind !== 'sqlite')
    throw new Error(
      'the members\' store is PostgreSQL (DATABASE_URL): back it up with pg_dump (docs/deploy.md, "Backups")',
    );
  if (!existsSync(config.file)) throw new Error(`no members' database at ${config.file} (GATEPOST_DATA_DIR)`);
  const file = resolve(target);
  if (existsSync(file)) throw new Error(`${file} already exists; give a new file name`);
  if (!existsSync(dirname(file))) throw new Error(`the folder ${dirname(file)} does not exist`);
  const db = new DatabaseSync(config.file, { readOnly: true, timeout: 5000 });
  try {
    db.prepare('VACUUM INTO ?').run(file);
  } finally {
    db.close();
  }
  const copy = new DatabaseSync(file, { readOnly: true });
  try {
    const check = copy.prepare('PRAGMA integrity_check').get() as { integrity_check?: string } | undefined;
    if (check?.integrity_check !== 'ok') throw new Error(`the copy at ${file} failed its integrity check`);
  } finally {
    copy.close();
  }
  return { file, bytes: statSync(file).size };
}
