import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  sql,
  type LogEvent,
  type Logger,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { ErrorTranslatingDialect, StoreSqliteDialect, type StoreDialect } from './dialect.js';
import { StoreConfigError, StoreConnectionError, StoreMigrationError } from './errors.js';
import { migrationProvider } from './migrations/index.js';
import { seedSqlitePlannerStats } from './migrations/planner-stats.js';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';
import {
  INLINE_CHECKPOINT_PAGES,
  startBackgroundCheckpoint,
  WRITER_CHECKPOINT_PAGES,
} from './background-checkpoint.js';

/** The subset of a pino logger the store uses. */
export interface StoreLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface OpenStoreOptions {
  logger?: StoreLogger;
  /** PostgreSQL only: schema to use as search_path (created by migrate()); lets tests isolate. */
  schema?: string;
  /** PostgreSQL only: maximum pooled connections (default 10). */
  poolSize?: number;
  /** SQLite only: how long a writer waits for another process's lock, in ms (default 5,000). */
  busyTimeoutMs?: number;
  /** SQLite only: the page cache's ceiling in MB (default 256). */
  cacheSizeMb?: number;
  /** SQLite only: how much of the file is memory-mapped, in MB (default 4,096; 0 turns it off). */
  mmapSizeMb?: number;
  /**
   * SQLite files only: checkpoint the write-ahead log from a worker thread instead of the
   * committing connection (default true; background-checkpoint.ts).
   */
  backgroundCheckpoint?: boolean;
  /** Queries slower than this are logged at warn with their SQL text, never their parameters (default 1,000 ms). */
  slowQueryMs?: number;
}

/** SQLite's page cache ceiling: ties and attendance of a 10,000-mailbox tenant stay in memory. */
export const DEFAULT_SQLITE_CACHE_MB = 256;

/** SQLite's memory-mapped ceiling: a 10,000-mailbox store (~2 GB) is read without copies. */
export const DEFAULT_SQLITE_MMAP_MB = 4_096;

/** Kysely handle over the store's tables; a Transaction is also one. */
export type StoreDb = Kysely<Database>;

export interface Store {
  db: StoreDb;
  dialect: StoreDialect;
  /** Applies pending migrations; safe to call repeatedly and from several processes. */
  migrate(): Promise<void>;
  /** Closes the connection or pool; later calls do nothing. */
  close(): Promise<void>;
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * SQLite only: the one connection behind `db`, for bulk writes that run a prepared statement per
   * row (bulkInsert's `sqlite` option) inside a transaction of `db`; undefined on PostgreSQL.
   */
  sqlite?: BetterSqlite3.Database;
  /**
   * PostgreSQL only: the pool behind `db`, for a hot read outside any transaction that wants a
   * named (prepared once per connection) statement or rows as arrays; undefined on SQLite.
   */
  postgres?: pg.Pool;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

// the engine behind each handle openStore made, for functions that receive only `db`
const dialects = new WeakMap<StoreDb, StoreDialect>();

/** The engine of a handle that openStore made (store.db, not a transaction). */
export function dialectOf(db: StoreDb): StoreDialect {
  const dialect = dialects.get(db);
  if (dialect === undefined) {
    throw new StoreConfigError('This database handle was not opened by openStore: pass store.db');
  }
  return dialect;
}
const PG_INT8_OID = 20;
const PG_NUMERIC_OID = 1700;

export type ParsedDatabaseUrl =
  { dialect: 'sqlite'; filename: string } | { dialect: 'postgres'; connectionString: string };

/** Hides a password before a URL goes into a message or log. */
export function redactDatabaseUrl(databaseUrl: string): string {
  return databaseUrl.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}

/** `sqlite:<path>` (relative to cwd), `sqlite::memory:`, or `postgres://` / `postgresql://`. */
export function parseDatabaseUrl(databaseUrl: string): ParsedDatabaseUrl {
  const url = databaseUrl.trim();
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { dialect: 'postgres', connectionString: url };
  }
  if (url.startsWith('sqlite:')) {
    const target = url.slice('sqlite:'.length);
    if (target === '') {
      throw new StoreConfigError(
        'DATABASE_URL "sqlite:" names no file: use sqlite:./data/warmpath.db or sqlite::memory:',
      );
    }
    return {
      dialect: 'sqlite',
      filename: target === ':memory:' ? ':memory:' : path.resolve(target),
    };
  }
  throw new StoreConfigError(
    `DATABASE_URL must be sqlite:<path>, sqlite::memory: or postgres://user@host:port/db (got "${redactDatabaseUrl(url)}")`,
  );
}

/** Opens the store named by a database URL; call migrate() before first use. */
export async function openStore(
  databaseUrl: string,
  options: OpenStoreOptions = {},
): Promise<Store> {
  const parsed = parseDatabaseUrl(databaseUrl);
  if (parsed.dialect === 'sqlite') {
    if (options.schema !== undefined || options.poolSize !== undefined) {
      throw new StoreConfigError(
        'schema and poolSize apply to PostgreSQL only; remove them for sqlite: URLs',
      );
    }
    return openSqliteStore(parsed.filename, options);
  }
  return openPostgresStore(parsed.connectionString, options);
}

function slowQueryLog({ logger, slowQueryMs = 1_000 }: OpenStoreOptions): Logger | undefined {
  if (logger === undefined) return undefined;
  return (event: LogEvent) => {
    if (event.level === 'query' && event.queryDurationMillis >= slowQueryMs) {
      // parameters carry emails and ids; the SQL text alone is enough to find the query
      logger.warn(
        { durationMs: Math.round(event.queryDurationMillis), sql: event.query.sql.slice(0, 500) },
        'slow store query',
      );
    }
  };
}

function openSqliteStore(filename: string, options: OpenStoreOptions): Store {
  if (filename !== ':memory:') mkdirSync(path.dirname(filename), { recursive: true });
  let database: BetterSqlite3.Database;
  try {
    database = new BetterSqlite3(filename);
  } catch (error) {
    throw new StoreConnectionError(
      `Cannot open SQLite database ${filename}: ${(error as Error).message}. Check the path and its permissions.`,
      error,
    );
  }
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5_000)}`);
  database.pragma('synchronous = NORMAL');
  // the default 2 MB page cache re-reads a multi-GB store's B-tree pages on every random write;
  // pages are allocated as used, so a small store never pays for this ceiling
  database.pragma(
    `cache_size = -${Math.trunc(options.cacheSizeMb ?? DEFAULT_SQLITE_CACHE_MB) * 1024}`,
  );
  // reads straight from the mapped file, no copy into the page cache (an upper bound, not a reservation)
  database.pragma(
    `mmap_size = ${Math.trunc(options.mmapSizeMb ?? DEFAULT_SQLITE_MMAP_MB) * 2 ** 20}`,
  );
  const checkpoint =
    filename !== ':memory:' && options.backgroundCheckpoint !== false
      ? startBackgroundCheckpoint(filename, (reason) => {
          options.logger?.warn({ reason }, 'background checkpoint stopped; the writer checkpoints');
          database.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
        })
      : undefined;
  database.pragma(
    `wal_autocheckpoint = ${checkpoint === undefined ? WRITER_CHECKPOINT_PAGES : INLINE_CHECKPOINT_PAGES}`,
  );
  const cached = withStatementCache(database);
  const db = new Kysely<Database>({
    dialect: new ErrorTranslatingDialect(new StoreSqliteDialect({ database: cached })),
    log: slowQueryLog(options),
  });
  return {
    ...buildStore(db, 'sqlite', undefined, options.logger, {
      beforeClose: () => checkpoint?.stop(),
      // Kysely opens its connection on first use only; a store used through `sqlite` alone
      // would otherwise stay open
      afterClose: () => {
        if (database.open) database.close();
      },
    }),
    sqlite: cached,
  };
}

function parseBigNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) && Number.isInteger(parsed)) {
    throw new RangeError(`PostgreSQL returned ${value}, beyond JavaScript's safe integer range`);
  }
  return parsed;
}

// per-pool parsers so the process-wide pg.types stay untouched for other pg users
const storeTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === PG_INT8_OID || oid === PG_NUMERIC_OID) return parseBigNumber;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

async function openPostgresStore(
  connectionString: string,
  options: OpenStoreOptions,
): Promise<Store> {
  const { schema, logger } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StoreConfigError(
      `schema "${schema}" is not a plain lowercase identifier (letters, digits, underscore; at most 63)`,
    );
  }
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    types: storeTypes,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // an idle client losing its connection must not crash the process
  pool.on('error', (error) => logger?.error({ err: error }, 'idle PostgreSQL connection failed'));
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StoreConnectionError(
      `Cannot connect to PostgreSQL at ${redactDatabaseUrl(connectionString)}: ${(error as Error).message}. Is the server running and the URL right?`,
      error,
    );
  }
  const db = new Kysely<Database>({
    dialect: new ErrorTranslatingDialect(
      new PostgresDialect({
        pool,
        // JIT off: it pays only for long analytic queries, and a question over a large company's
        // ties crosses jit_above_cost on its estimates, then spends ~230 ms compiling a 30 ms
        // query. Set per connection rather than in the pool's options, which options in the
        // URL would replace.
        onCreateConnection: async (connection) => {
          await connection.executeQuery(CompiledQuery.raw('set jit = off'));
        },
      }),
    ),
    log: slowQueryLog(options),
  });
  return { ...buildStore(db, 'postgres', schema, logger), postgres: pool };
}

/** The schema unqualified names are created in (the first of search_path that exists). */
async function currentSchema(db: Kysely<Database>): Promise<string | undefined> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
    db,
  );
  return rows[0]?.schema ?? undefined;
}

function buildStore(
  db: Kysely<Database>,
  dialect: StoreDialect,
  schema: string | undefined,
  logger: StoreLogger | undefined,
  hooks: { beforeClose?: () => Promise<void> | undefined; afterClose?: () => void } = {},
): Store {
  let closed = false;
  dialects.set(db, dialect);
  return {
    db,
    dialect,
    async migrate() {
      // Kysely looks for its migration tables in every schema unless told which: on PostgreSQL
      // it would find another schema's (a search_path set in the URL, another tenant's store in
      // the same database) and then fail to lock its own. They live where the tables go.
      const migrationTableSchema =
        schema ?? (dialect === 'postgres' ? await currentSchema(db) : undefined);
      const migrator = new Migrator({
        db,
        provider: migrationProvider(dialect),
        ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
      });
      const { error, results = [] } = await migrator.migrateToLatest();
      // tables and indexes a migration added need the planner's tenant-sized statistics too
      if (dialect === 'sqlite' && results.some((result) => result.status === 'Success')) {
        await seedSqlitePlannerStats(db as unknown as Kysely<unknown>);
      }
      for (const result of results) {
        if (result.status === 'Success') {
          logger?.info({ migration: result.migrationName, dialect }, 'store migration applied');
        }
      }
      if (error !== undefined) {
        const failed = results.find((result) => result.status === 'Error')?.migrationName;
        const reason = error instanceof Error ? error.message : String(error);
        logger?.error({ migration: failed, dialect, err: error }, 'store migration failed');
        throw new StoreMigrationError(
          `Store migration ${failed ?? '(before any migration ran)'} failed on ${dialect}: ${reason}`,
          failed,
          error,
        );
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      // the checkpoint worker's connection first: the last one to close removes the log
      await hooks.beforeClose?.();
      await db.destroy();
      hooks.afterClose?.();
    },
    transaction(fn) {
      return db.transaction().execute(fn);
    },
  };
}
