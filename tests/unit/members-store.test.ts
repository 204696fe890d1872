/**
 * The members' store itself, on SQLite and (with GATEPOST_TEST_DATABASE_URL) PostgreSQL: the node:sqlite
 * adapter's integer binding, the migrations (applied once, forward-only, concurrent runs, a failing one
 * leaving the database as it was), the configuration, what "unavailable" means, and the backup.
 */
import { sql, type Kysely } from 'kysely';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupSqlite } from '../../src/members/backup';
import { DEFAULT_POOL_SIZE, describeStore, readStoreConfig } from '../../src/members/config';
import { MIGRATIONS } from '../../src/members/migrations/index';
import type { Database } from '../../src/members/schema';
import { nodeSqliteDatabase, openSqliteFile, toSqliteValue } from '../../src/members/sqlite';
import {
  isStoreUnavailable,
  MigrationError,
  openStore,
  runMigrations,
  StoreUnavailableError,
  type MembersStore,
} from '../../src/members/store';
import { createTestDatabase, STORE_KINDS, type TestDatabase } from '../support/databases';
import { ROOT } from '../support/paths';

describe('the node:sqlite adapter', () => {
  it('binds integer numbers as SQLite integers, other numbers as reals', () => {
    expect(toSqliteValue(42)).toBe(42n);
    expect(toSqliteValue(-7)).toBe(-7n);
    expect(toSqliteValue(1.5)).toBe(1.5);
    expect(toSqliteValue(2 ** 60)).toBe(2 ** 60);
    expect(toSqliteValue(true)).toBe(1n);
    expect(toSqliteValue(undefined)).toBe(null);
    expect(() => toSqliteValue({})).toThrow(/serialise/);
  });

  it('so an INTEGER column stores integers and matches them (node:sqlite alone would bind REAL)', () => {
    const raw = new DatabaseSync(':memory:');
    raw.exec('create table t (id integer primary key, n integer, label text)');
    const db = nodeSqliteDatabase(raw);
    const insert = db.prepare('insert into t (id, n, label) values (?, ?, ?)');
    expect(insert.reader).toBe(false);
    insert.run([7, 3, 'seven']);
    const typed = db.prepare('select typeof(?) as t');
    expect(typed.reader).toBe(true);
    expect(typed.all([3])).toEqual([{ t: 'integer' }]);
    // The trap the adapter exists for: node:sqlite itself binds a JS number as REAL.
    expect(raw.prepare('select typeof(?) as t').get(3)).toEqual({ t: 'real' });
    expect(db.prepare('select label from t where id = ?').all([7])).toEqual([{ label: 'seven' }]);
    expect(db.prepare('select typeof(n) as t from t').all([])).toEqual([{ t: 'integer' }]);
    expect([...db.prepare('select id from t').iterate([])]).toEqual([{ id: 7 }]);
    expect(db.prepare('insert into t (id, n) values (?, ?) returning id').reader).toBe(true);
    db.close();
  });

  it('opens the file in WAL mode with foreign keys on and a busy timeout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'members-sqlite-'));
    try {
      const raw = openSqliteFile(join(dir, 'nested', 'gatepost.db'));
      expect(raw.prepare('pragma journal_mode').get()).toEqual({ journal_mode: 'wal' });
      expect(raw.prepare('pragma foreign_keys').get()).toEqual({ foreign_keys: 1 });
      expect(raw.prepare('pragma busy_timeout').get()).toEqual({ timeout: 5000 });
      raw.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('store settings', () => {
  it('SQLite under GATEPOST_DATA_DIR (default ./data), PostgreSQL when DATABASE_URL is set', () => {
    expect(readStoreConfig({}, '/srv/site')).toEqual({
      kind: 'sqlite',
      dataDir: '/srv/site/data',
      file: '/srv/site/data/gatepost.db',
    });
    expect(readStoreConfig({ GATEPOST_DATA_DIR: '/var/lib/gatepost' }, '/srv/site')).toMatchObject({
      file: '/var/lib/gatepost/gatepost.db',
    });
    expect(readStoreConfig({ DATABASE_URL: 'postgres://u:p@db:5432/gp' })).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db:5432/gp',
      poolSize: DEFAULT_POOL_SIZE,
    });
    expect(readStoreConfig({ DATABASE_URL: 'postgresql://db/gp', GATEPOST_DATABASE_POOL_SIZE: '12' })).toMatchObject({
      poolSize: 12,
    });
  });

  it('refuses what it cannot use, saying which setting', () => {
    expect(() => readStoreConfig({ DATABASE_URL: 'mysql://db/gp' })).toThrow(/DATABASE_URL must be a postgres:/);
    expect(() => readStoreConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL is not a URL/);
    expect(() => readStoreConfig({ DATABASE_URL: 'postgres://db/gp', GATEPOST_DATABASE_POOL_SIZE: '0' })).toThrow(
      /GATEPOST_DATABASE_POOL_SIZE/,
    );
  });

  it('describes a store without its password', () => {
    const text = describeStore(readStoreConfig({ DATABASE_URL: 'postgres://gatepost:s3cret@db.internal:5433/site' }));
    expect(text).toBe('PostgreSQL at db.internal:5433/site');
    expect(text).not.toContain('s3cret');
  });
});

const tables = async (db: Kysely<Database>) =>
  (await db.introspection.getTables()).map((t) => t.name).filter((name) => !name.startsWith('schema_migrations'));

describe.each(STORE_KINDS)('migrations on %s', (kind) => {
  let database: TestDatabase;
  const stores: MembersStore[] = [];
  const open = () => {
    const store = openStore(database.config);
    stores.push(store);
    return store;
  };

  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await database.drop();
  });

  it('applies every migration once, then finds the schema current', async () => {
    const store = open();
    expect(await store.migrate()).toEqual({ applied: Object.keys(MIGRATIONS) });
    expect((await tables(store.db)).sort()).toEqual(
      [
        'billing_plans',
        'billing_subscription_items',
        'jobs',
        'members',
        'organization_memberships',
        'organizations',
        'processed_events',
        // 0002_newsletters
        'newsletters',
        'newsletter_subscriptions',
        'email_suppressions',
        'email_sends',
        'email_batches',
        'email_recipients',
      ].sort(),
    );
    expect(await open().migrate()).toEqual({ applied: [] });
  });

  it('runs safely from several processes at once (one applies, the others find it done)', async () => {
    const migrateInProcess = () =>
      new Promise<{ applied: string[] }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/migrate-process.ts'], {
          cwd: ROOT,
          env: { ...process.env, ...database.env },
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk) => (out += chunk));
        child.stderr.on('data', (chunk) => (err += chunk));
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err))));
      });
    const results = await Promise.all([migrateInProcess(), migrateInProcess(), migrateInProcess()]);
    expect(results.flatMap((r) => r.applied)).toEqual(Object.keys(MIGRATIONS));
    const rows = await sql<{ name: string }>`select name from schema_migrations`.execute(open().db);
    expect(rows.rows.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS));
  }, 60_000);

  it('a failing migration names itself and leaves the database exactly as it was', async () => {
    const store = open();
    await store.migrate();
    const broken = {
      ...MIGRATIONS,
      '9999_broken': {
        up: async (db: Kysely<unknown>) => {
          await db.schema.createTable('half_done').addColumn('id', 'text').execute();
          await sql`insert into members (id) values ('x')`.execute(db); // violates NOT NULL columns
        },
      },
    };
    const error = await runMigrations(store.db, broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).migration).toBe('9999_broken');
    expect((error as Error).message).toMatch(/^migration 9999_broken failed: .+; the database is unchanged$/);
    expect(await tables(store.db)).not.toContain('half_done');
    expect(await store.db.selectFrom('members').selectAll().execute()).toEqual([]);
    const applied = await sql<{ name: string }>`select name from schema_migrations`.execute(store.db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS));
  });

  it('a first run that fails part-way keeps none of it, the earlier migrations of the run included', async () => {
    const store = open();
    const broken = {
      ...MIGRATIONS,
      '9999_broken': {
        up: async (db: Kysely<unknown>) => {
          await sql`select * from no_such_table`.execute(db);
        },
      },
    };
    await expect(runMigrations(store.db, broken)).rejects.toBeInstanceOf(MigrationError);
    expect(await tables(store.db)).toEqual([]);
  });

  it('refuses to run an older build against a database a newer one migrated', async () => {
    const store = open();
    await runMigrations(store.db, { ...MIGRATIONS, '9999_newer': { up: async () => undefined } });
    const error = await runMigrations(store.db).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/9999_newer/);
    expect(isStoreUnavailable(error)).toBe(false);
  });

  it('reports itself reachable once migrated, and names only its kind', async () => {
    const store = open();
    expect(await store.status()).toEqual({ kind, reachable: true });
  });
});

describe('a store that is down', () => {
  it('PostgreSQL nobody answers: status unreachable within its bound, queries unavailable, not a crash', async () => {
    const store = openStore({ kind: 'postgres', url: 'postgres://gp:gp@127.0.0.1:9/none', poolSize: 1 });
    try {
      const started = Date.now();
      expect(await store.status(3000)).toEqual({ kind: 'postgres', reachable: false });
      expect(Date.now() - started).toBeLessThan(3500);
      const error = await store.database().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(isStoreUnavailable(error)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('SQLite in a folder that cannot be created: unavailable, and usable once it can', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'members-down-'));
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'a file where the data folder should be');
    const store = openStore({ kind: 'sqlite', dataDir: blocker, file: join(blocker, 'gatepost.db') });
    try {
      expect(await store.status()).toEqual({ kind: 'sqlite', reachable: false });
      await expect(store.database()).rejects.toBeInstanceOf(StoreUnavailableError);
      rmSync(blocker);
      expect(await store.status()).toEqual({ kind: 'sqlite', reachable: true });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells a wrong query from a store that cannot answer', () => {
    expect(isStoreUnavailable(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(
      isStoreUnavailable(Object.assign(new Error('the database system is shutting down'), { code: '57P03' })),
    ).toBe(true);
    expect(isStoreUnavailable(Object.assign(new Error('database is locked'), { errcode: 5 }))).toBe(true);
    expect(isStoreUnavailable(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false);
    expect(isStoreUnavailable(new Error('no such column: x'))).toBe(false);
  });
});

describe('backup (SQLite)', () => {
  it('copies a consistent database while another connection keeps writing, and refuses to overwrite', async () => {
    const database = await createTestDatabase('sqlite');
    const store = openStore(database.config);
    try {
      const db = await store.database();
      const now = Date.now();
      const insert = (i: number) =>
        db
          .insertInto('members')
          .values({ id: `user_${i}`, email: `u${i}@example.test`, tier: 'members', created_at: now, updated_at: now })
          .execute();
      for (let i = 0; i < 50; i++) await insert(i);
      const target = join(database.config.kind === 'sqlite' ? database.config.dataDir : '', 'backup.db');
      // A writer in the middle of a transaction does not stop the copy, and is not in it.
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('members')
          .values({ id: 'user_uncommitted', tier: 'members', created_at: now, updated_at: now })
          .execute();
        const { bytes } = backupSqlite(database.config, target);
        expect(bytes).toBeGreaterThan(0);
      });
      const copy = new DatabaseSync(target, { readOnly: true });
      expect(copy.prepare('select count(*) as n from members').get()).toEqual({ n: 50 });
      copy.close();
      expect(() => backupSqlite(database.config, target)).toThrow(/already exists/);
      expect(() => backupSqlite({ kind: 'postgres', url: 'postgres://x/y', poolSize: 1 }, target)).toThrow(/pg_dump/);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
