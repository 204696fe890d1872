/**
 * The members' store: one Kysely instance over SQLite (the embedded default) or PostgreSQL
 * (DATABASE_URL), its migrations, and whether it can be used right now.
 *
 * One store per process. The Gatepost server opens it at start and hands it to Astro's pages through
 * `locals.members` (src/server/app.ts), so the server program and Astro's SSR bundle share one pool;
 * only `astro dev`, which runs without that server, opens one lazily (./locals.ts).
 *
 * Opening never fails for a store that is down: connections are made when a query needs one. A store
 * that is down makes store features answer 503 (`StoreUnavailableError`) while articles keep working;
 * a migration that fails is an error the server refuses to start with (`MigrationError`).
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Migrator, type Migration, type MigrationResult } from 'kysely/migration';
import pg from 'pg';
import type { StoreConfig } from './config';
import { describeStore } from './config';
import { MIGRATIONS } from './migrations/index';
import type { Database } from './schema';
import { GatepostSqliteDialect, nodeSqliteDatabase, openSqliteFile } from './sqlite';

export type StoreKind = StoreConfig['kind'];

/** The store cannot answer now (not reachable, locked for too long, or its schema is not in place yet). */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** A migration failed; the database is as it was before it (each run is one transaction). */
export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    cause: unknown,
  ) {
    super(
      `migration ${migration} failed: ${cause instanceof Error ? cause.message : String(cause)}; the database is unchanged`,
      { cause },
    );
    this.name = 'MigrationError';
  }
}

export interface MigrationReport {
  /** Names of the migrations this run applied, in order (empty when the schema was current). */
  applied: string[];
}

export interface StoreStatus {
  kind: StoreKind;
  /** The store answered a query and its schema is current. */
  reachable: boolean;
}

export interface MembersStore {
  readonly kind: StoreKind;
  /** Kind and place for logs, never a credential. */
  readonly description: string;
  /**
   * The query builder, for src/members' own modules (no other folder writes SQL). Use `database()`
   * unless the schema is known to be current.
   */
  readonly db: Kysely<Database>;
  /** Applies the pending migrations in one transaction; safe to call from several processes at once. */
  migrate(): Promise<MigrationReport>;
  /** The query builder once the schema is current (migrating first if this process has not yet). */
  database(): Promise<Kysely<Database>>;
  /** For /readyz: answers within `timeoutMs`, never throws. */
  status(timeoutMs?: number): Promise<StoreStatus>;
  close(): Promise<void>;
}

/** Error codes that mean "cannot reach or use the database now", not "this query is wrong". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
]);
// SQLite primary result codes: BUSY, LOCKED, READONLY, IOERR, FULL, CANTOPEN.
const SQLITE_UNAVAILABLE = new Set([5, 6, 8, 10, 13, 14]);

/**
 * True when `error` says the store is down or busy rather than that a query is wrong. Checked by name,
 * not `instanceof`: the store is created in the server program's bundle and its errors reach pages in
 * Astro's bundle, each with its own copy of this module.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as Error).name === 'StoreUnavailableError') return true;
  const { code, errcode, message } = error as { code?: unknown; errcode?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return true;
    // PostgreSQL: connection exceptions (08), insufficient resources (53), operator intervention (57P),
    // a database that does not exist or refuses the credentials.
    if (/^(08|53|57P)/.test(code) || code === '3D000' || code === '28P01' || code === '28000') return true;
  }
  if (typeof errcode === 'number' && SQLITE_UNAVAILABLE.has(errcode & 0xff)) return true;
  return (
    typeof message === 'string' &&
    /Connection terminated|timeout exceeded when trying to connect|connection error|database is locked|unable to open database/i.test(
      message,
    )
  );
}

function postgresPool(config: Extract<StoreConfig, { kind: 'postgres' }>, onError: (error: Error) => void) {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize,
    // A store that does not answer must not hold a request for long: 503 instead.
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    application_name: 'gatepost',
    // bigint columns (times in milliseconds, counts) as numbers: all fit in 2^53.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection that breaks (the server restarts) is reported here; without a listener it would
  // end the process.
  pool.on('error', onError);
  return pool;
}

export interface OpenStoreOptions {
  /** Where problems the store reports on its own (a broken idle connection) go. */
  log?: (message: string) => void;
}

export function openStore(config: StoreConfig, options: OpenStoreOptions = {}): MembersStore {
  const log = options.log ?? ((message: string) => console.error(`[gatepost] ${message}`));
  const dialect =
    config.kind === 'sqlite'
      ? new GatepostSqliteDialect({
          // Opened when first needed, and retried by the next query if that fails (a folder that cannot be
          // written, a full disk): the store is then down, not the server.
          database: async () => {
            try {
              return nodeSqliteDatabase(openSqliteFile(config.file));
            } catch (error) {
              throw new StoreUnavailableError(`cannot open ${config.file}: ${(error as Error).message}`, {
                cause: error,
              });
            }
          },
        })
      : new PostgresDialect({
          pool: postgresPool(config, (error) => log(`members' store: idle connection failed: ${error.message}`)),
        });
  const db = new Kysely<Database>({ dialect });

  let migrated = false;
  let migrating: Promise<MigrationReport> | null = null;

  const migrate = (): Promise<MigrationReport> => {
    migrating ??= runMigrations(db)
      .then((report) => {
        migrated = true;
        return report;
      })
      .finally(() => {
        migrating = null;
      });
    return migrating;
  };

  return {
    kind: config.kind,
    description: describeStore(config),
    db,
    migrate,
    async database() {
      if (!migrated) {
        try {
          await migrate();
        } catch (error) {
          if (error instanceof MigrationError) throw error;
          throw new StoreUnavailableError(`members' store unavailable: ${(error as Error).message}`, { cause: error });
        }
      }
      return db;
    },
    async status(timeoutMs = 2000) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const probe = (async () => {
        await sql`select 1`.execute(db);
        if (!migrated) await migrate();
        return true;
      })().catch(() => false);
      try {
        return { kind: config.kind, reachable: await Promise.race([probe, timeout]) };
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => db.destroy(),
  };
}

/** Applies every pending migration in one transaction (Kysely's Migrator), naming the one that failed. */
export async function runMigrations(
  db: Kysely<Database>,
  migrations: Record<string, Migration> = MIGRATIONS,
): Promise<MigrationReport> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error');
    if (failed) throw new MigrationError(failed.migrationName, error);
    // Before any migration ran: the store could not be reached or its bookkeeping tables not read.
    throw error;
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
