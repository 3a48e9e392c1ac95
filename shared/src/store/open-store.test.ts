import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreConfigError, StoreConnectionError } from './errors.js';
import { openStore, parseDatabaseUrl, redactDatabaseUrl, type StoreLogger } from './open-store.js';
import { describeStore } from './testing.js';
import { countEvents } from './events.js';
import { getTenant, upsertTenant } from './tenants.js';

const postgresUrl = process.env.TEST_DATABASE_URL;
const require = createRequire(import.meta.url);

describe('parseDatabaseUrl', () => {
  it('resolves a sqlite: path against the working directory', () => {
    expect(parseDatabaseUrl('sqlite:./data/warmpath.db')).toEqual({
      dialect: 'sqlite',
      filename: path.resolve('data/warmpath.db'),
    });
  });

  it('keeps sqlite::memory: in memory', () => {
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({
      dialect: 'sqlite',
      filename: ':memory:',
    });
  });

  it('accepts both postgres:// and postgresql://', () => {
    expect(parseDatabaseUrl('postgres://u@h/db').dialect).toBe('postgres');
    expect(parseDatabaseUrl('postgresql://u@h/db').dialect).toBe('postgres');
  });

  it('rejects other schemes with the accepted forms and without leaking the password', () => {
    const attempt = () => parseDatabaseUrl('mysql://root:hunter2@db/warmpath');
    expect(attempt).toThrow(StoreConfigError);
    expect(attempt).toThrow(/sqlite:<path>.*postgres:\/\//);
    expect(attempt).not.toThrow(/hunter2/);
  });

  it('rejects sqlite: with no path', () => {
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(/names no file/);
  });

  it('redacts passwords in URLs', () => {
    expect(redactDatabaseUrl('postgres://app:s3cret@db:5432/x')).toBe(
      'postgres://app:***@db:5432/x',
    );
  });
});

describe('openStore on SQLite', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'warmpath-open-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates missing parent directories and sets WAL, foreign keys, busy timeout and synchronous NORMAL', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'store.db');
    const store = await openStore(`sqlite:${file}`);
    try {
      expect(existsSync(file)).toBe(true);
      const pragma = async (name: string) => {
        const { rows } = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(
          store.db,
        );
        return Object.values(rows[0] ?? {})[0];
      };
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('busy_timeout')).toBe(5000);
      expect(await pragma('synchronous')).toBe(1);
      expect(store.dialect).toBe('sqlite');
    } finally {
      await store.close();
    }
  });

  it('works in memory with sqlite::memory:', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      await store.migrate();
      await upsertTenant(store.db, 't1', { displayName: 'In memory' });
      expect((await getTenant(store.db, 't1'))?.displayName).toBe('In memory');
    } finally {
      await store.close();
    }
  });

  it('waits for another process holding the write lock instead of failing with SQLITE_BUSY', async () => {
    const file = path.join(dir, 'contended.db');
    const store = await openStore(`sqlite:${file}`);
    try {
      await store.migrate();
      const holder = spawn(
        process.execPath,
        [
          '-e',
          `const db = require('better-sqlite3')(${JSON.stringify(file)});
           db.exec('begin immediate');
           process.stdout.write('locked\\n');
           setTimeout(() => { db.exec('commit'); db.close(); }, 400);`,
        ],
        {
          cwd: path.dirname(require.resolve('better-sqlite3/package.json')),
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      await once(holder.stdout, 'data');
      const started = Date.now();
      await upsertTenant(store.db, 'contended', { displayName: 'Waited' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(200);
      expect((await getTenant(store.db, 'contended'))?.displayName).toBe('Waited');
      await once(holder, 'exit');
    } finally {
      await store.close();
    }
  });

  it('logs slow queries with their SQL text but never their parameters', async () => {
    const warnings: { durationMs: number; sql: string }[] = [];
    const logger: StoreLogger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (obj) => warnings.push(obj as { durationMs: number; sql: string }),
      error: () => undefined,
    };
    const store = await openStore('sqlite::memory:', { logger, slowQueryMs: 0 });
    try {
      await store.migrate();
      await upsertTenant(store.db, 'secret-tenant@example.com', { displayName: 'Hidden Name' });
      const upsert = warnings.find((w) => w.sql.startsWith('insert into "tenants"'));
      expect(upsert?.durationMs).toEqual(expect.any(Number));
      expect(JSON.stringify(warnings)).not.toMatch(/secret-tenant|Hidden Name/);
    } finally {
      await store.close();
    }
  });

  it('refuses PostgreSQL-only options', async () => {
    await expect(openStore('sqlite::memory:', { schema: 'x' })).rejects.toThrow(StoreConfigError);
  });

  it('accepts a pino logger and reports each applied migration to it', async () => {
    const typed: StoreLogger = pino({ level: 'silent' });
    expect(typed).toBeDefined();
    const messages: string[] = [];
    const logger: StoreLogger = {
      debug: () => undefined,
      info: (obj, msg) => messages.push(`${msg}:${(obj as { migration: string }).migration}`),
      warn: () => undefined,
      error: () => undefined,
    };
    const store = await openStore('sqlite::memory:', { logger });
    try {
      await store.migrate();
      await store.migrate();
      expect(messages).toEqual([
        'store migration applied:0001_foundation',
        'store migration applied:0002_private_events_index',
        'store migration applied:0003_relationships',
        'store migration applied:0004_intros',
        'store migration applied:0005_mailboxes_person_index',
        'store migration applied:0006_events_attendance_key',
        'store migration applied:0007_ties_unknown_span_index',
      ]);
    } finally {
      await store.close();
    }
  });
});

describeStore('openStore per engine', (ctx) => {
  const reopen = (options: Parameters<typeof openStore>[1]) =>
    ctx.dialect === 'postgres'
      ? openStore(postgresUrl as string, options)
      : openStore('sqlite::memory:', options);

  it('rejects a schema option it cannot use', async () => {
    // PostgreSQL needs a plain identifier; SQLite has no schemas at all
    await expect(reopen({ schema: 'x; drop table y' })).rejects.toThrow(StoreConfigError);
  });

  it('fails fast with a StoreConnectionError that says what to check', async () => {
    const attempt =
      ctx.dialect === 'postgres'
        ? openStore('postgres://postgres:pw@127.0.0.1:1/nowhere')
        : openStore(`sqlite:${tmpdir()}`);
    await expect(attempt).rejects.toThrow(StoreConnectionError);
    await expect(attempt).rejects.toThrow(
      ctx.dialect === 'postgres' ? /127\.0\.0\.1:1.*Is the server running/ : /Check the path/,
    );
  });

  it('returns big integers, COUNT and SUM results as JS numbers', async () => {
    const { rows } = await sql<{ big: unknown; total: unknown; counted: unknown }>`
      select cast(9007199254740991 as bigint) as big,
             (select sum(x) from (select cast(1 as bigint) as x union all select cast(2 as bigint)) v) as total,
             (select count(*) from tenants where tenant_id = 'none') as counted`.execute(
      ctx.store.db,
    );
    expect(rows[0]).toEqual({ big: 9007199254740991, total: 3, counted: 0 });
  });

  it('turns PostgreSQL JIT off on every connection of the pool', async () => {
    if (ctx.dialect === 'sqlite') return;
    // JIT compiled a 30 ms intro-paths question for ~230 ms when its estimate crossed jit_above_cost
    const { rows } = await sql<{ jit: string }>`select current_setting('jit') as jit`.execute(
      ctx.store.db,
    );
    expect(rows[0]?.jit).toBe('off');
  });

  it('leaves the process-wide pg type parsers alone', async () => {
    expect(pg.types.getTypeParser(20, 'text')('5')).toBe('5');
    if (ctx.dialect === 'sqlite') return;
    // a plain pg client in the same process must still get int8 as text
    const plain = new pg.Client({ connectionString: postgresUrl as string });
    await plain.connect();
    try {
      const result = await plain.query<{ big: unknown }>('select 5::int8 as big');
      expect(result.rows[0]?.big).toBe('5');
    } finally {
      await plain.end();
    }
  });
});

describeStore('store lifecycle', (ctx) => {
  it('runs migrations twice without error or change', async () => {
    const store = await ctx.openFresh();
    await store.migrate();
    const tablesAfterFirst = (await store.db.introspection.getTables()).map((t) => t.name).sort();
    await store.migrate();
    const tablesAfterSecond = (await store.db.introspection.getTables()).map((t) => t.name).sort();
    expect(tablesAfterSecond).toEqual(tablesAfterFirst);
    expect(tablesAfterFirst).toEqual(
      expect.arrayContaining(['attendance', 'events', 'mailbox_events', 'people', 'tenants']),
    );
  });

  it('lets a second store migrate a database that is already migrated (at the same time on PostgreSQL)', async () => {
    const sibling = await ctx.openSibling();
    // two SQLite connections in one thread would block each other; processes are the real case there
    if (ctx.dialect === 'postgres') await Promise.all([ctx.store.migrate(), sibling.migrate()]);
    else await sibling.migrate();
    expect(await countEvents(sibling.db, 'nobody')).toBe(0);
  });

  it('rolls back everything written in a transaction that throws', async () => {
    const tenantId = `rollback-${Date.now()}`;
    await expect(
      ctx.store.transaction(async (trx) => {
        await upsertTenant(trx, tenantId, { displayName: 'Doomed' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await getTenant(ctx.store.db, tenantId)).toBeUndefined();
  });

  it('closes once and ignores later close calls', async () => {
    const store = await ctx.openFresh();
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });
});

describe.runIf(postgresUrl !== undefined)(
  'openStore on PostgreSQL with search_path in the URL',
  () => {
    const schemas: string[] = [];
    afterAll(async () => {
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      for (const schema of schemas) await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    });

    it('migrates into its own schema while another schema already holds migration tables', async () => {
      const suffix = `${process.pid}_${Date.now()}`;
      const other = `wp_test_other_${suffix}`;
      const own = `wp_test_own_${suffix}`;
      schemas.push(other, own);
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`create schema ${own}`);
      await admin.end();
      // another store's migration tables, in a schema of their own
      const first = await openStore(postgresUrl as string, { schema: other });
      await first.migrate();
      await first.close();
      const separator = (postgresUrl as string).includes('?') ? '&' : '?';
      const url = `${postgresUrl}${separator}options=${encodeURIComponent(`-c search_path=${own}`)}`;
      const store = await openStore(url);
      try {
        await store.migrate();
        const tables = await store.db.introspection.getTables({ withInternalKyselyTables: true });
        expect(tables.filter((table) => table.schema === own).map((table) => table.name)).toEqual(
          expect.arrayContaining(['events', 'kysely_migration', 'kysely_migration_lock']),
        );
        expect(await countEvents(store.db, 'nobody')).toBe(0);
        // options in the URL replace the pool's own, not the per-connection JIT setting
        const { rows } = await sql<{ jit: string }>`select current_setting('jit') as jit`.execute(
          store.db,
        );
        expect(rows[0]?.jit).toBe('off');
      } finally {
        await store.close();
      }
    });
  },
);
