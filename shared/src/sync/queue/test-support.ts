// Test support shared by the pg-boss queue tests and the worker process they spawn (so no vitest
// here): handlers that record every run in PostgreSQL, where runs from any process meet.
import pg from 'pg';
import type { SyncJobHandlers } from './types.js';

export interface MailboxRunSummary {
  tenantId: string;
  userId: string;
  runs: number;
  /** the most runs of this mailbox ever in progress at once: 1 unless exclusivity broke */
  maxRunning: number;
  /** when the last sync started and the last request was made, on one shared counter */
  lastStarted: number | null;
  lastRequested: number | null;
}

/** Records requests and runs in tables beside pg-boss's, in the test's own schema. */
export class RunRecorder {
  readonly #pool: pg.Pool;
  readonly #schema: string;

  constructor(connectionString: string, schema: string) {
    this.#pool = new pg.Pool({ connectionString, max: 4, application_name: 'warmpath-test' });
    this.#schema = schema;
  }

  async install(): Promise<void> {
    const s = this.#schema;
    await this.#pool.query(`
      create schema if not exists ${s};
      create sequence if not exists ${s}.test_clock;
      create table if not exists ${s}.test_mailbox_runs (
        tenant_id text not null,
        user_id text not null,
        running int not null default 0,
        max_running int not null default 0,
        runs int not null default 0,
        last_started bigint,
        last_requested bigint,
        primary key (tenant_id, user_id)
      );
      create table if not exists ${s}.test_worker_runs (
        worker text primary key,
        runs int not null
      );
    `);
  }

  /** Call before enqueueing: a sync that starts later covers this request. */
  async requested(tenantId: string, userId: string): Promise<void> {
    await this.#pool.query(
      `insert into ${this.#schema}.test_mailbox_runs (tenant_id, user_id, last_requested)
       values ($1, $2, nextval('${this.#schema}.test_clock'))
       on conflict (tenant_id, user_id)
       do update set last_requested = excluded.last_requested`,
      [tenantId, userId],
    );
  }

  async started(worker: string, tenantId: string, userId: string): Promise<void> {
    // one statement under the row lock, so concurrent starts from any process count exactly
    await this.#pool.query(
      `insert into ${this.#schema}.test_mailbox_runs
         (tenant_id, user_id, running, max_running, runs, last_started)
       values ($1, $2, 1, 1, 1, nextval('${this.#schema}.test_clock'))
       on conflict (tenant_id, user_id) do update set
         running = test_mailbox_runs.running + 1,
         max_running = greatest(test_mailbox_runs.max_running, test_mailbox_runs.running + 1),
         runs = test_mailbox_runs.runs + 1,
         last_started = excluded.last_started`,
      [tenantId, userId],
    );
    await this.#pool.query(
      `insert into ${this.#schema}.test_worker_runs (worker, runs) values ($1, 1)
       on conflict (worker) do update set runs = test_worker_runs.runs + 1`,
      [worker],
    );
  }

  async ended(tenantId: string, userId: string): Promise<void> {
    await this.#pool.query(
      `update ${this.#schema}.test_mailbox_runs set running = running - 1
       where tenant_id = $1 and user_id = $2`,
      [tenantId, userId],
    );
  }

  /** Handlers that record each sync, which lasts `syncMs` (a stand-in for Graph round trips). */
  handlers(worker: string, syncMs: () => number): SyncJobHandlers {
    return {
      syncMailbox: async (tenantId, userId) => {
        await this.started(worker, tenantId, userId);
        try {
          await new Promise((resolve) => setTimeout(resolve, syncMs()));
        } finally {
          await this.ended(tenantId, userId);
        }
      },
      expandDirectory: async () => undefined,
    };
  }

  async mailboxes(): Promise<MailboxRunSummary[]> {
    const { rows } = await this.#pool.query<{
      tenant_id: string;
      user_id: string;
      runs: number;
      max_running: number;
      last_started: string | null;
      last_requested: string | null;
    }>(
      `select tenant_id, user_id, runs, max_running, last_started, last_requested
       from ${this.#schema}.test_mailbox_runs order by tenant_id, user_id`,
    );
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      userId: row.user_id,
      runs: row.runs,
      maxRunning: row.max_running,
      lastStarted: row.last_started === null ? null : Number(row.last_started),
      lastRequested: row.last_requested === null ? null : Number(row.last_requested),
    }));
  }

  async workers(): Promise<Map<string, number>> {
    const { rows } = await this.#pool.query<{ worker: string; runs: number }>(
      `select worker, runs from ${this.#schema}.test_worker_runs`,
    );
    return new Map(rows.map((row) => [row.worker, row.runs]));
  }

  /** Jobs of a pg-boss queue not yet finished (waiting, waiting to retry, or running). */
  async unfinishedJobs(queue: string): Promise<number> {
    const { rows } = await this.#pool.query<{ count: string }>(
      `select count(*) from ${this.#schema}.job
       where name = $1 and state in ('created', 'retry', 'active')`,
      [queue],
    );
    return Number(rows[0]?.count ?? 0);
  }

  async jobStates(queue: string): Promise<string[]> {
    const { rows } = await this.#pool.query<{ state: string }>(
      `select state from ${this.#schema}.job where name = $1 order by created_on, id`,
      [queue],
    );
    return rows.map((row) => row.state);
  }

  /** What each finished job's handler returned (pg-boss keeps it as the job's output). */
  async jobOutcomes(queue: string): Promise<string[]> {
    const { rows } = await this.#pool.query<{ outcome: string | null }>(
      `select output->>'outcome' as outcome from ${this.#schema}.job
       where name = $1 and state = 'completed' order by completed_on, id`,
      [queue],
    );
    return rows.map((row) => row.outcome ?? 'none');
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}
