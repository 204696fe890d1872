/**
 * SQLite for the members' store through Node's own `node:sqlite`, behind Kysely's SqliteDialect.
 *
 * Kysely's dialect expects better-sqlite3's shape (`prepare()` → a statement with `reader`, `all`, `run`,
 * `iterate` taking an array of parameters); `nodeSqliteDatabase` adapts `DatabaseSync` to it. Two things
 * the adapter does on purpose:
 * - integer JS numbers are bound as BigInt: node:sqlite binds every number as REAL, and an INTEGER
 *   column compared with a REAL, or a REAL stored in it, silently changes what a query matches;
 * - every transaction starts with BEGIN IMMEDIATE, taking the write lock up front, so several processes
 *   (cluster workers, `npm run db:migrate` beside a running server) wait for each other through the
 *   busy timeout instead of failing a transaction that read first and wrote later.
 * Kysely's SQLite adapter says DDL is not transactional; SQLite's is, so migrations run in one
 * transaction here as on PostgreSQL, and a failing one leaves the file as it was.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type SqliteStatement,
} from 'kysely';

/** How long a writer waits for another process's write lock before giving up. */
export const BUSY_TIMEOUT_MS = 5000;

/** Prepared statements kept per connection (the store's queries are a small fixed set). */
const STATEMENT_CACHE = 256;

/** One parameter as node:sqlite should bind it. */
export function toSqliteValue(value: unknown): SQLInputValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'string' || typeof value === 'bigint' || value instanceof Uint8Array) return value;
  throw new TypeError(`cannot bind a ${Object.prototype.toString.call(value)} to SQLite; serialise it first`);
}

/** `DatabaseSync` in the shape Kysely's SqliteDialect drives. */
export function nodeSqliteDatabase(db: DatabaseSync): SqliteDatabase {
  const statements = new Map<string, StatementSync>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (statement) {
      // Most recently used last, so the oldest is the first key.
      statements.delete(sql);
    } else {
      statement = db.prepare(sql);
      if (statements.size >= STATEMENT_CACHE) statements.delete(statements.keys().next().value!);
    }
    statements.set(sql, statement);
    return statement;
  };
  return {
    close: () => {
      statements.clear();
      db.close();
    },
    prepare(sql): SqliteStatement {
      const statement = prepare(sql);
      const bind = (parameters: ReadonlyArray<unknown>) => parameters.map(toSqliteValue);
      return {
        // A statement that returns rows (SELECT, or anything with RETURNING) has result columns.
        reader: statement.columns().length > 0,
        all: (parameters) => statement.all(...bind(parameters)),
        run: (parameters) => statement.run(...bind(parameters)),
        iterate: (parameters) => statement.iterate(...bind(parameters)),
      };
    },
  };
}

/** Opens (creating it and its folder when missing) the store's SQLite file with the settings it relies on. */
export function openSqliteFile(file: string): DatabaseSync {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file, { enableForeignKeyConstraints: true, timeout: BUSY_TIMEOUT_MS });
  try {
    // WAL: readers never wait for the writer, and several processes share the file safely.
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA foreign_keys = ON');
    // Durable at each commit in WAL mode, without an fsync of the database file per transaction.
    db.exec('PRAGMA synchronous = NORMAL');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Kysely's SQLite dialect with the two changes above. */
export class GatepostSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
