/**
 * The members' store for tests, on both databases: a fresh SQLite file in a temporary folder, and, when
 * GATEPOST_TEST_DATABASE_URL names a PostgreSQL server (a role that may create databases), a fresh
 * database created on it for the test and dropped afterwards. `.ci/run` sets the variable, so CI runs
 * every store suite on both; without it, locally, the PostgreSQL half is reported as not run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { StoreConfig } from '../../src/members/config';

export interface TestDatabase {
  kind: 'sqlite' | 'postgres';
  config: StoreConfig;
  /** Environment for a server or command using this database. */
  env: Record<string, string>;
  drop: () => Promise<void>;
}

export const POSTGRES_URL = process.env.GATEPOST_TEST_DATABASE_URL?.trim() || undefined;

/** The store kinds this run tests: SQLite always, PostgreSQL when a server was given. */
export const STORE_KINDS: ('sqlite' | 'postgres')[] = POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export async function createTestDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'members-test-'));
    return {
      kind,
      config: { kind: 'sqlite', dataDir, file: join(dataDir, 'gatepost.db') },
      env: { GATEPOST_DATA_DIR: dataDir },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  if (!POSTGRES_URL) throw new Error('GATEPOST_TEST_DATABASE_URL is not set');
  const name = `members_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    kind,
    config: { kind: 'postgres', url: url.href, poolSize: 5 },
    env: { DATABASE_URL: url.href },
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch (error) {
        // FORCE must be allowed to end every session on the database, and a role that is neither
        // superuser nor in pg_signal_backend (CI's `gp`) may not end an autovacuum worker that happens to
        // be there. A plain DROP stops autovacuum by itself (waiting up to 5 s), so retry without FORCE.
        if ((error as { code?: string }).code !== '42501') throw error;
        await dropWithoutForce(client, name);
      } finally {
        await client.end();
      }
    },
  };
}

/** `DROP DATABASE` without FORCE, tried again while another session (an autovacuum worker) is still leaving. */
async function dropWithoutForce(client: pg.Client, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name}`);
      return;
    } catch (error) {
      // 55006: the database is being accessed by other users.
      if ((error as { code?: string }).code !== '55006' || attempt === 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
