// The tenant's sync settings reach the store: private appointments (off by default, purged at once
// when turned off), only online meetings, excluded domains and addresses.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getMailbox, upsertTenant } from '../store/index.js';
import { describeStore } from '../store/testing.js';
import { applyTenantSettings } from './apply-tenant-settings.js';
import { createGraphTenantDirectory } from './graph-tenant-directory.js';
import { runSyncRound } from './run-sync-round.js';
import {
  calendarInstances,
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
const DIEGO = 'e5b7a0f6-1c8d-4a5e-8f6b-7d9c0e1f2a05';
const SYNCED = [ADELE, ALEX, MEGAN, DIEGO];

describeStore('tenant settings in the sync', (ctx) => {
  let sim: SyncSimulator;
  let tenantId: string;
  let privateUid: string;
  beforeAll(async () => {
    sim = await startSyncSimulator(fixtureTenant());
    tenantId = uniqueTenantId('settings');
    await upsertTenant(ctx.store.db, tenantId, { displayName: 'Contoso' });
    await trackPrincipals({
      store: ctx.store,
      directory: createGraphTenantDirectory(sim.graph()),
      tenantId,
      references: ['falcon@contoso.com', 'alex.wilber@contoso.com', 'diego.siciliani@contoso.com'],
    });
    const window = { start: Date.parse('2026-01-01'), end: Date.parse('2027-06-01') };
    const dentist = calendarInstances(sim.engine, DIEGO, undefined, window).find(
      (event) => event.sensitivity === 'private',
    );
    privateUid = dentist?.iCalUId as string;
  });
  afterAll(() => sim.close());

  const sync = () => runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
  const state = () => readStoreState(ctx.store, tenantId, SYNCED);

  it('stores no private appointment by default', async () => {
    expect(privateUid).toBeDefined();
    await sync();
    const stored = await state();
    expect(stored.events[privateUid]).toBeUndefined();
    expect(stored).toEqual(await expectedState(sim.engine, ctx.store, tenantId, SYNCED));
  });

  it('stores them once turned on, and purges them at once when turned off', async () => {
    await applyTenantSettings({
      store: ctx.store,
      tenantId,
      patch: { syncPrivateAppointments: true },
    });
    await sync();
    expect((await state()).events[privateUid]).toMatchObject({ isPrivate: true });
    expect(await state()).toEqual(
      await expectedState(sim.engine, ctx.store, tenantId, SYNCED, { includePrivate: true }),
    );
    const withPrivate = (await getMailbox(ctx.store.db, tenantId, DIEGO))?.eventsStored ?? 0;

    // no round in between: turning the setting off is enough
    await applyTenantSettings({
      store: ctx.store,
      tenantId,
      patch: { syncPrivateAppointments: false },
    });
    const purged = await state();
    expect(Object.values(purged.events).filter((event) => event.isPrivate)).toEqual([]);
    expect((await getMailbox(ctx.store.db, tenantId, DIEGO))?.eventsStored).toBe(withPrivate - 1);
    await sync();
    expect(await state()).toEqual(await expectedState(sim.engine, ctx.store, tenantId, SYNCED));
  });

  it('keeps only online meetings when asked to', async () => {
    await applyTenantSettings({ store: ctx.store, tenantId, patch: { onlyOnlineMeetings: true } });
    await sync();
    const stored = await state();
    expect(Object.values(stored.events).every((event) => event.isOnline)).toBe(true);
    expect(stored).toEqual(
      await expectedState(sim.engine, ctx.store, tenantId, SYNCED, { onlyOnline: true }),
    );
    await applyTenantSettings({ store: ctx.store, tenantId, patch: { onlyOnlineMeetings: false } });
  });

  it('leaves excluded domains out of attendance and excluded mailboxes out entirely', async () => {
    await applyTenantSettings({
      store: ctx.store,
      tenantId,
      patch: {
        excludedDomains: ['fabrikam.com'],
        excludedAddresses: ['megan.bowen@contoso-labs.io'],
      },
    });
    await sync();
    const stored = await state();
    const attendees = Object.values(stored.events).flatMap((event) => event.attendance);
    expect(attendees.filter((line) => line.includes('@fabrikam.com'))).toEqual([]);
    expect(attendees.some((line) => line.startsWith('adele.vance@contoso.com '))).toBe(true);
    expect(stored.copies[MEGAN]).toEqual({});
    // the meetings with Fabrikam are still there, with Adele
    const expected = await expectedState(sim.engine, ctx.store, tenantId, [ADELE]);
    for (const uid of Object.keys(expected.copies[ADELE] ?? {})) {
      expect(stored.events[uid], uid).toBeDefined();
    }
  });
});
