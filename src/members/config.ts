/**
 * Where the members' store lives, read once from the environment (docs/deploy.md, "Members' data"):
 * PostgreSQL when DATABASE_URL names one, otherwise one SQLite file under GATEPOST_DATA_DIR.
 * Plain TypeScript: the caller passes the environment in.
 */
import { isAbsolute, resolve } from 'node:path';

export type StoreConfig =
  { kind: 'sqlite'; file: string; dataDir: string } | { kind: 'postgres'; url: string; poolSize: number };

/** The SQLite file's name inside GATEPOST_DATA_DIR. */
export const SQLITE_FILE = 'gatepost.db';

/** Connections each process keeps to PostgreSQL, unless GATEPOST_DATABASE_POOL_SIZE says otherwise. */
export const DEFAULT_POOL_SIZE = 5;

type Env = Record<string, string | undefined>;

export function readStoreConfig(env: Env, cwd = process.cwd()): StoreConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error('DATABASE_URL is not a URL; expected postgres://user:password@host:5432/database');
    }
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
      throw new Error(
        `DATABASE_URL must be a postgres:// URL (the members' store speaks PostgreSQL or, without DATABASE_URL, SQLite), not ${parsed.protocol}//…`,
      );
    return { kind: 'postgres', url, poolSize: parsePoolSize(env.GATEPOST_DATABASE_POOL_SIZE) };
  }
  const dir = env.GATEPOST_DATA_DIR?.trim() || './data';
  const dataDir = isAbsolute(dir) ? dir : resolve(cwd, dir);
  return { kind: 'sqlite', dataDir, file: resolve(dataDir, SQLITE_FILE) };
}

function parsePoolSize(value: string | undefined): number {
  if (!value?.trim()) return DEFAULT_POOL_SIZE;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new Error(`GATEPOST_DATABASE_POOL_SIZE must be a whole number from 1 to 100, not "${value}"`);
  return n;
}

/** The store's kind and place for logs: never a password. */
export function describeStore(config: StoreConfig): string {
  if (config.kind === 'sqlite') return `SQLite at ${config.file}`;
  const url = new URL(config.url);
  return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}
