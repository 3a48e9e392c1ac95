// A mailbox that cannot be read ends in a readable error state while the others sync; calendars
// beyond the tenant's limit are not read, and copies of a calendar no longer selected leave.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getMailbox, listCalendars, updateTenantSettings, upsertTenant } from '../store/index.js';
import { describeStore } from '../store/testing.js';
import { createGraphTenantDirectory } from './graph-tenant-directory.js';
import { runSyncRound } from './run-sync-round.js';
import { selectCalendars } from './sync-mailbox.js';
import { syncTrackedMailbox } from './sync-tracked-mailbox.js';
import {
  expectedState,
  fixtureTenant,
  readStoreState,
  startSyncSimulator,
  uniqueTenantId,
  type SyncSimulator,
} from './testing.js';
import { trackPrincipals } from './track-principals.js';

const ADELE = 'a1d3c6b2-7e4f-4c1a-8b2d-3f5e6a7b8c01';
const ALEX = 'b2e4d7c3-8f5a-4d2b-9c3e-4a6f7b8c9d02';
const MEGAN = 'c3f5e8d4-9a6b-4e3c-8d4f-5b7a8c9d0e03';

describe('selectCalendars', () => {
  const calendar = (calendarId: string, isDefault = false) => ({
    calendarId,
    name: calendarId,
    isDefault,
  });

  it('puts the default calendar first and keeps to the limit', () => {
    const picked = selectCalendars([calendar('a'), calendar('b', true), calendar('c')], 2);
    expect(picked.map((c) => c.calendarId)).toEqual(['b', 'a']);
  });

  it('takes the first calendar when none is flagged default, and none from an empty list', () => {
    expect(selectCalendars([calendar('a'), calendar('b')], 1).map((c) => c.calendarId)).toEqual([
      'a',
    ]);
    expect(selectCalendars([], 5)).toEqual([]);
  });
});

describeStore('syncing one mailbox', (ctx) => {
  let sim: SyncSimulator;
  beforeAll(async () => {
    sim = await startSyncSimulator(fixtureTenant());
  });
  afterAll(() => sim.close());
  afterEach(() => sim.faults({}));

  async function tenantTracking(references: string[]): Promise<string> {
    const tenantId = uniqueTenantId('mailbox');
    await upsertTenant(ctx.store.db, tenantId, { displayName: 'Contoso' });
    await trackPrincipals({
      store: ctx.store,
      directory: createGraphTenantDirectory(sim.graph()),
      tenantId,
      references,
    });
    return tenantId;
  }

  it('keeps an access-policy error readable while the others sync, and recovers when lifted', async () => {
    const tenantId = await tenantTracking(['falcon@contoso.com', 'alex.wilber@contoso.com']);
    await sim.faults({ accessDenied: [MEGAN] });
    const blocked = await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
    expect(blocked.synced).toBe(2);
    const megan = await getMailbox(ctx.store.db, tenantId, MEGAN);
    expect(megan?.state).toBe('error');
    expect(megan?.lastErrorCode).toBe('ErrorAccessDenied');
    expect(megan?.lastErrorMessage).toMatch(
      /^An application access policy blocks WarmPath from this mailbox \(ErrorAccessDenied\)/,
    );
    expect(megan?.nextAttemptAt).toBeGreaterThan(Date.now());
    expect(megan?.eventsStored).toBe(0);
    await expect(readStoreState(ctx.store, tenantId, [ADELE, ALEX])).resolves.toEqual(
      await expectedState(sim.engine, ctx.store, tenantId, [ADELE, ALEX]),
    );

    // the scheduler's rounds wait for the retry time; an explicit round does not
    const deferred = await runSyncRound({
      store: ctx.store,
      graph: sim.graph(),
      tenantId,
      respectBackoff: true,
    });
    expect(deferred.deferred).toBe(1);

    await sim.faults({});
    const lifted = await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
    expect(lifted.failed).toBe(0);
    const recovered = await getMailbox(ctx.store.db, tenantId, MEGAN);
    expect(recovered).toMatchObject({
      state: 'synced',
      lastErrorMessage: null,
      consecutiveFailures: 0,
    });
    await expect(readStoreState(ctx.store, tenantId, [ADELE, ALEX, MEGAN])).resolves.toEqual(
      await expectedState(sim.engine, ctx.store, tenantId, [ADELE, ALEX, MEGAN]),
    );
  });

  it('reads up to the tenant limit of calendars and drops one no longer selected', async () => {
    const tenantId = await tenantTracking(['adele.vance@contoso.com']);
    await updateTenantSettings(ctx.store.db, tenantId, { calendarsPerMailbox: 2 });
    await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
    const both = await readStoreState(ctx.store, tenantId, [ADELE]);
    expect(both).toEqual(
      await expectedState(sim.engine, ctx.store, tenantId, [ADELE], { allCalendars: true }),
    );
    expect((await listCalendars(ctx.store.db, tenantId, ADELE)).map((c) => c.selected)).toEqual([
      true,
      true,
    ]);

    await updateTenantSettings(ctx.store.db, tenantId, { calendarsPerMailbox: 1 });
    await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
    const primaryOnly = await readStoreState(ctx.store, tenantId, [ADELE]);
    expect(Object.keys(primaryOnly.copies[ADELE] ?? {}).length).toBeLessThan(
      Object.keys(both.copies[ADELE] ?? {}).length,
    );
    expect(primaryOnly).toEqual(await expectedState(sim.engine, ctx.store, tenantId, [ADELE]));
    const [primary, other] = await listCalendars(ctx.store.db, tenantId, ADELE);
    expect(primary?.selected).toBe(true);
    expect(other).toMatchObject({ selected: false, deltaLink: null, nextLink: null });
  });

  it('syncs one tracked mailbox by id, as a queue job does, and leaves untracked ones alone', async () => {
    const tenantId = await tenantTracking(['alex.wilber@contoso.com']);
    // the first round registers the mailbox; a job then brings it up to date by itself
    await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
    const outcome = await syncTrackedMailbox({
      store: ctx.store,
      graph: sim.graph(),
      tenantId,
      userId: ALEX,
    });
    expect(outcome).toMatchObject({ userId: ALEX, state: 'synced' });
    expect(outcome?.calendars[0]?.fullRound).toBe(false);
    await expect(readStoreState(ctx.store, tenantId, [ALEX])).resolves.toEqual(
      await expectedState(sim.engine, ctx.store, tenantId, [ALEX]),
    );
    await expect(
      syncTrackedMailbox({ store: ctx.store, graph: sim.graph(), tenantId, userId: MEGAN }),
    ).resolves.toBeUndefined();
  });
});
