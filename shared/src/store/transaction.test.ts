import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { StoreConstraintError } from './errors.js';
import { describeStore } from './testing.js';
import { CONFLICT_ATTEMPTS, isRetryableConflict, retryOnConflict } from './transaction.js';

const conflict = (code: string) => Object.assign(new Error(`conflict ${code}`), { code });

describe('retryOnConflict', () => {
  it('runs a write again after a deadlock or serialization failure', async () => {
    const failures = [conflict('40P01'), conflict('40001')];
    let runs = 0;
    const result = await retryOnConflict(async () => {
      runs++;
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      return 'stored';
    });
    expect(result).toBe('stored');
    expect(runs).toBe(3);
  });

  it('passes any other error through at once', async () => {
    const unique = new StoreConstraintError('unique', 'x_unique', 'duplicate', undefined);
    let runs = 0;
    await expect(
      retryOnConflict(async () => {
        runs++;
        throw unique;
      }),
    ).rejects.toBe(unique);
    expect(runs).toBe(1);
    expect(isRetryableConflict(conflict('23505'))).toBe(false);
    expect(isRetryableConflict('40P01')).toBe(false);
  });

  it(`gives up after ${CONFLICT_ATTEMPTS} attempts with the last conflict`, async () => {
    let runs = 0;
    await expect(
      retryOnConflict(async () => {
        runs++;
        throw conflict('40P01');
      }),
    ).rejects.toMatchObject({ code: '40P01' });
    expect(runs).toBe(CONFLICT_ATTEMPTS);
  });
});

describeStore('retryOnConflict on a real store', (ctx) => {
  it('commits a transaction that succeeds once, returning its result', async () => {
    const tenantId = await ctx.newTenant();
    const result = await retryOnConflict(() =>
      ctx.store.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('tenants')
          .set({ display_name: 'Renamed once' })
          .where('tenant_id', '=', tenantId)
          .execute();
        return 'committed';
      }),
    );
    expect(result).toBe('committed');
    const row = await ctx.store.db
      .selectFrom('tenants')
      .select('display_name')
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    expect(row.display_name).toBe('Renamed once');
  });

  // SQLite has one writer and never deadlocks: this one exists for PostgreSQL only, not skipped
  if (ctx.dialect !== 'postgres') return;
  it('sees the deadlock PostgreSQL reports through Kysely and lets both writers finish', async () => {
    const first = await ctx.newTenant();
    const second = await ctx.newTenant();
    const other = await ctx.openSibling();
    // each transaction locks one tenant row, waits until the other has locked the other row,
    // then asks for it: PostgreSQL aborts one of them with 40P01
    let arrived = 0;
    let release!: () => void;
    const bothLocked = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const crossLock = (store: typeof other, own: string, theirs: string) =>
      retryOnConflict(() =>
        store.db.transaction().execute(async (trx) => {
          runs++;
          const lock = (tenantId: string) =>
            sql`select tenant_id from tenants where tenant_id = ${tenantId} for update`.execute(
              trx,
            );
          await lock(own);
          if (++arrived === 2) release();
          await bothLocked;
          await lock(theirs);
        }),
      );
    await Promise.all([crossLock(ctx.store, first, second), crossLock(other, second, first)]);
    expect(runs).toBe(3);
  }, 20_000);
});
