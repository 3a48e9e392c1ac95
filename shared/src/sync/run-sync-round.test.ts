// A round against the simulator leaves the store equal to the source: after the first full round,
// after mutations, under throttling, drops and an expired delta token, and after a crash.
import type { GraphEvent } from '@warmpath/sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  applyEventPage,
  listCalendars,
  listMailboxes,
  listTrackedPrincipals,
  updateTenantSettings,
  upsertTenant,
  type Store,
} from '../store/index.js';
import { describeStore } from '../store/testing.js';
import {
  ROUND_PENDING_ITEMS,
  roundWriteBatchItems,
  runSyncRound,
  type SyncRoundResult,
} from './run-sync-round.js';
import { DEFAULT_WRITE_BATCH_ITEMS, MIN_WRITE_BATCH_ITEMS } from './sync-calendar.js';
import {
  calendarInstances,
  expectedState,
  fixtureTenant,
  meetingTextInStore,
  readStoreState,
  smallGeneratedTenant,
  startSyncSimulator,
  uniqueTenantId,
  type SyncSimulator,
} from './testing.js';
import { trackPrincipals } from './track-principals.js';
import { createGraphTenantDirectory } from './graph-tenant-directory.js';

const LONG = 180_000;

/** Private appointments are not stored with the default settings: mutate only meetings that are. */
const isStored = (event: GraphEvent): boolean =>
  event.sensitivity !== 'private' && event.sensitivity !== 'confidential';

/** Mailboxes the round synced (state 'synced'), by user id. */
function syncedIds(result: SyncRoundResult): string[] {
  return result.mailboxes.filter((m) => m.state === 'synced').map((m) => m.userId);
}

async function trackedTenant(
  store: Store,
  sim: SyncSimulator,
  label: string,
  references: string[],
): Promise<string> {
  const tenantId = uniqueTenantId(label);
  await upsertTenant(store.db, tenantId, { displayName: sim.engine.organization.displayName });
  await trackPrincipals({
    store,
    directory: createGraphTenantDirectory(sim.graph()),
    tenantId,
    references,
  });
  return tenantId;
}

async function expectStoreEqualsSource(
  store: Store,
  sim: SyncSimulator,
  tenantId: string,
  userIds: string[],
): Promise<void> {
  const actual = await readStoreState(store, tenantId, userIds);
  const expected = await expectedState(sim.engine, store, tenantId, userIds);
  expect(Object.keys(actual.copies)).toEqual(Object.keys(expected.copies));
  for (const userId of userIds) {
    expect(actual.copies[userId], `copies of ${userId}`).toEqual(expected.copies[userId]);
  }
  expect(Object.keys(actual.events).length).toBe(Object.keys(expected.events).length);
  expect(actual.events).toEqual(expected.events);
  // events_stored matches the copies, so nothing was counted twice
  for (const mailbox of await listMailboxes(store.db, tenantId, { states: ['synced'] })) {
    expect(mailbox.eventsStored).toBe(Object.keys(actual.copies[mailbox.userId] ?? {}).length);
  }
}

describe('the write batch of each mailbox in a round', () => {
  it("shares the round's pending items among the mailboxes read at once, within bounds", () => {
    expect(roundWriteBatchItems(1)).toBe(DEFAULT_WRITE_BATCH_ITEMS);
    expect(roundWriteBatchItems(16)).toBe(ROUND_PENDING_ITEMS / 16);
    // more mailboxes at once hold no more items in all
    for (const concurrency of [32, 64, 100]) {
      expect(roundWriteBatchItems(concurrency) * concurrency).toBeLessThanOrEqual(
        ROUND_PENDING_ITEMS,
      );
    }
    expect(roundWriteBatchItems(10_000)).toBe(MIN_WRITE_BATCH_ITEMS);
  });
});

describeStore('a sync round of the fixture tenant', (ctx) => {
  let sim: SyncSimulator;
  beforeAll(async () => {
    sim = await startSyncSimulator(fixtureTenant());
  });
  afterAll(() => sim.close());
  afterEach(() => sim.faults({}));

  const ADELE = 'a1d3c6b2-7e4f-4c1a-8b2d-3f5e6a7b8c01';
  const ALEX = 'b2e4d7c3-8f5a-4d2b-9c3e-4a6f7b8c9d02';
  const MEGAN = 'c3f5e8d4-9a6b-4e3c-8d4f-5b7a8c9d0e03';
  const LEE = 'd4a6f9e5-0b7c-4f4d-9e5a-6c8b9d0e1f04';
  const DIEGO = 'e5b7a0f6-1c8d-4a5e-8f6b-7d9c0e1f2a05';
  const SALES_GROUP = '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d11';
  const REFERENCES = [
    'falcon@contoso.com',
    SALES_GROUP,
    'lee.gu@contoso.com',
    'rainier@contoso.com',
  ];

  it(
    'stores exactly the source, keeps no meeting text, and leaves a user without a mailbox in a readable error',
    async () => {
      const tenantId = await trackedTenant(ctx.store, sim, 'fixture', REFERENCES);
      const result = await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });

      expect(syncedIds(result).sort()).toEqual([ADELE, ALEX, MEGAN, DIEGO].sort());
      const lee = result.mailboxes.find((m) => m.userId === LEE);
      expect(lee?.state).toBe('error');
      expect(lee?.failure?.message).toMatch(
        /^This user has no Exchange Online mailbox \(MailboxNotEnabledForRESTAPI\)/,
      );
      // the room is tracked but never synced as a person's mailbox
      const mailboxes = await listMailboxes(ctx.store.db, tenantId);
      expect(mailboxes.map((m) => m.userPrincipalName).sort()).toEqual([
        'adele.vance@contoso.com',
        'alex.wilber@contoso.com',
        'diego.siciliani@contoso.com',
        'lee.gu@contoso.com',
        'megan.bowen@contoso-labs.io',
      ]);
      const synced = [ADELE, ALEX, MEGAN, DIEGO];
      await expectStoreEqualsSource(ctx.store, sim, tenantId, synced);

      const text = await meetingTextInStore(sim.engine, ctx.store, synced);
      expect(text.checked).toBeGreaterThan(10);
      expect(text.leaks).toEqual([]);

      // a second round is a delta round that changes nothing
      const again = await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
      expect(again.mailboxes.flatMap((m) => m.calendars).some((c) => c.fullRound)).toBe(false);
      await expectStoreEqualsSource(ctx.store, sim, tenantId, synced);
    },
    LONG,
  );

  it(
    'syncs every selected calendar; /_sim/stats counts what the store holds',
    async () => {
      const tenantId = await trackedTenant(ctx.store, sim, 'fixture-all', REFERENCES);
      await updateTenantSettings(ctx.store.db, tenantId, {
        calendarsPerMailbox: 5,
        syncPrivateAppointments: true,
      });
      await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
      const synced = [ADELE, ALEX, MEGAN, DIEGO];
      const actual = await readStoreState(ctx.store, tenantId, synced);
      const expected = await expectedState(sim.engine, ctx.store, tenantId, synced, {
        allCalendars: true,
        includePrivate: true,
      });
      expect(actual).toEqual(expected);

      const calendars = await listCalendars(ctx.store.db, tenantId, ADELE);
      const window = {
        start: calendars[0]?.windowStart as number,
        end: calendars[0]?.windowEnd as number,
      };
      const stats = await sim.stats(window);
      for (const userId of synced) {
        const report = stats.tenants[0]?.mailboxes.find((m) => m.userId === userId);
        const copies = Object.keys(actual.copies[userId] ?? {});
        expect(report?.events, `events of ${userId}`).toBe(copies.length);
        expect(report?.cancelled, `cancelled of ${userId}`).toBe(
          copies.filter((uid) => actual.events[uid]?.isCancelled).length,
        );
      }
    },
    LONG,
  );
});

describeStore('a sync round of a generated tenant', (ctx) => {
  let sim: SyncSimulator;
  let domain: string;
  beforeAll(async () => {
    sim = await startSyncSimulator(smallGeneratedTenant());
    domain = sim.engine.organization.verifiedDomains.find((d) => d.isDefault)?.name ?? '';
  });
  afterAll(() => sim.close());
  afterEach(() => sim.faults({}));

  const trackedUserIds = async (tenantId: string) =>
    (await listMailboxes(ctx.store.db, tenantId, { states: ['synced'] })).map((m) => m.userId);

  it(
    'stores exactly the source after the first round and again after mutations and a delta round',
    async () => {
      const tenantId = await trackedTenant(ctx.store, sim, 'generated', [
        `customer-facing@${domain}`,
      ]);
      const first = await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
      expect(first.failed).toBe(0);
      expect(first.synced).toBeGreaterThan(5);
      await expectStoreEqualsSource(ctx.store, sim, tenantId, await trackedUserIds(tenantId));
      const text = await meetingTextInStore(sim.engine, ctx.store, await trackedUserIds(tenantId));
      expect(text.checked).toBeGreaterThan(100);
      expect(text.leaks).toEqual([]);

      const engine = sim.engine;
      const userIds = await trackedUserIds(tenantId);
      const window = { start: Date.parse('2026-06-01'), end: Date.parse('2027-01-31') };
      const ownMeetings = (userId: string) =>
        calendarInstances(engine, userId, undefined, window).filter(
          (e) => e.isOrganizer && !e.isCancelled && e.type === 'singleInstance' && isStored(e),
        );
      const invitations = (userId: string) =>
        calendarInstances(engine, userId, undefined, window).filter(
          (e) => !e.isOrganizer && !e.isCancelled && isStored(e),
        );
      const organizerId = userIds.find((id) => ownMeetings(id).length >= 2);
      const attendeeId = userIds.find((id) => id !== organizerId && invitations(id).length >= 2);
      const organizer = engine.findUser(organizerId ?? '');
      const attendee = engine.findUser(attendeeId ?? '');
      if (!organizer?.mail || !attendee?.mail) {
        throw new Error('the tenant needs an organizer and an attendee to change meetings of');
      }
      const [toChange, toCancel] = ownMeetings(organizer.id) as [GraphEvent, GraphEvent];
      // new, changed, cancelled, deleted, answered
      engine.createEvent(organizer.id, {
        event: {
          subject: 'Pricing follow-up',
          start: { dateTime: '2026-11-20T15:00:00', timeZone: 'UTC' },
          end: { dateTime: '2026-11-20T15:30:00', timeZone: 'UTC' },
          attendees: [
            {
              type: 'required',
              status: { response: 'none', time: '0001-01-01T00:00:00Z' },
              emailAddress: { address: attendee.mail, name: attendee.displayName },
            },
            {
              type: 'required',
              status: { response: 'none', time: '0001-01-01T00:00:00Z' },
              emailAddress: { address: 'new.contact@fabrikam-example.com', name: 'New Contact' },
            },
          ],
          isOnlineMeeting: true,
        },
      });
      engine.updateEvent(organizer.id, toChange.id, {
        start: { dateTime: '2026-12-01T10:00:00', timeZone: 'UTC' },
        end: { dateTime: '2026-12-01T11:00:00', timeZone: 'UTC' },
      });
      engine.cancelEvent(organizer.id, toCancel.id);
      const [toDelete, toAnswer] = invitations(attendee.id) as [GraphEvent, GraphEvent];
      engine.deleteEvent(attendee.id, toDelete.id);
      engine.respond(attendee.id, toAnswer.id, 'declined');

      const second = await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
      expect(second.failed).toBe(0);
      expect(second.mailboxes.flatMap((m) => m.calendars).some((c) => c.fullRound)).toBe(false);
      await expectStoreEqualsSource(ctx.store, sim, tenantId, userIds);
    },
    LONG,
  );

  it(
    'ends equal under 429s, 503s, dropped connections and an expired delta token, never over 4 requests per mailbox',
    async () => {
      const tenantId = await trackedTenant(ctx.store, sim, 'faults', [`customer-facing@${domain}`]);
      await sim.faults({
        rate429: 0.1,
        rate503: 0.05,
        dropRate: 0.02,
        retryAfterSeconds: 0.05,
        seed: 7,
      });
      const first = await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
      expect(first.failed).toBe(0);
      const userIds = await trackedUserIds(tenantId);
      await expectStoreEqualsSource(ctx.store, sim, tenantId, userIds);

      const [expiring, changing] = userIds as [string, string];
      await sim.faults({ expireDeltaTokens: [expiring] });
      // changes the new full round cannot report as removals: only its sweep catches them
      const window = { start: Date.parse('2026-11-02'), end: Date.parse('2027-01-20') };
      const ownMeetings = (userId: string) =>
        calendarInstances(sim.engine, userId, undefined, window).filter(
          (e) => e.isOrganizer && !e.isCancelled && e.type === 'singleInstance' && isStored(e),
        );
      const [cancelled, deleted] = ownMeetings(expiring);
      if (!cancelled || !deleted) throw new Error('the expiring mailbox needs two meetings');
      sim.engine.cancelEvent(expiring, cancelled.id);
      sim.engine.deleteEvent(expiring, deleted.id);
      const changed = ownMeetings(changing)[0];
      if (changed) sim.engine.cancelEvent(changing, changed.id);
      const second = await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
      expect(second.failed).toBe(0);
      const rebaselined = second.mailboxes.find((m) => m.userId === expiring);
      expect(rebaselined?.calendars[0]?.fullRound).toBe(true);
      await expectStoreEqualsSource(ctx.store, sim, tenantId, userIds);

      const stats = await sim.stats({ start: 0, end: Date.parse('2030-01-01') });
      // the faults did happen
      expect(stats.requests.byStatus['429']).toBeGreaterThan(0);
      expect(stats.requests.byStatus['503']).toBeGreaterThan(0);
      for (const report of stats.tenants[0]?.mailboxes ?? []) {
        expect(report.peakConcurrency, report.userPrincipalName).toBeLessThanOrEqual(4);
      }
    },
    LONG,
  );

  it(
    'resumes after a crash mid-round without losing or duplicating anything',
    async () => {
      const tenantId = await trackedTenant(ctx.store, sim, 'crash', [`customer-facing@${domain}`]);
      // the whole process stops after a few writes of the first round: it ends between pages
      const controller = new AbortController();
      let stored = 0;
      const stopped = await runSyncRound({
        store: ctx.store,
        graph: sim.graph(),
        tenantId,
        mailboxConcurrency: 2,
        // a write per page, so some rounds stop with a next link stored
        writeBatchItems: 1,
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.type === 'pageStored' && ++stored === 5) controller.abort(new Error('kill'));
        },
      }).catch((error: unknown) => error);
      expect(stopped).toBeInstanceOf(Error);
      expect((stopped as Error).message).toBe('kill');
      const cursors = (
        await Promise.all(
          (await listMailboxes(ctx.store.db, tenantId)).map((m) =>
            listCalendars(ctx.store.db, tenantId, m.userId),
          ),
        )
      ).flat();
      // rounds were cut off mid-way: they go on from their stored next links
      expect(cursors.some((calendar) => calendar.nextLink !== null)).toBe(true);

      // a failure inside the k-th write's transaction: nothing of its pages is kept
      let pages = 0;
      const crashed = await runSyncRound({
        store: ctx.store,
        graph: sim.graph(),
        tenantId,
        writeBatchItems: 1,
        storeEventPage: async (store, id, page) => {
          if (++pages === 7) throw new Error('simulated crash while storing a page');
          return applyEventPage(store, id, page);
        },
      });
      expect(crashed.failed).toBe(1);

      const resumed = await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
      expect(resumed.failed).toBe(0);
      await expectStoreEqualsSource(ctx.store, sim, tenantId, await trackedUserIds(tenantId));
      expect((await listTrackedPrincipals(ctx.store.db, tenantId)).length).toBe(1);
    },
    LONG,
  );

  it(
    "finishes a full round's sweep after a crash between its last page and the sweep",
    async () => {
      const tenantId = await trackedTenant(ctx.store, sim, 'sweep', [`customer-facing@${domain}`]);
      await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
      const userIds = await trackedUserIds(tenantId);
      const window = { start: Date.parse('2026-06-01'), end: Date.parse('2027-01-31') };
      const expiring = userIds.find((id) =>
        calendarInstances(sim.engine, id, undefined, window).some(
          (e) => e.isOrganizer && isStored(e),
        ),
      ) as string;
      const meeting = calendarInstances(sim.engine, expiring, undefined, window).find(
        (e) => e.isOrganizer && isStored(e),
      ) as GraphEvent;
      sim.engine.deleteEvent(expiring, meeting.id);
      await sim.faults({ expireDeltaTokens: [expiring] });

      // the process dies right after the transaction that stored the full round's last page
      const dying = await runSyncRound({
        store: ctx.store,
        graph: sim.graph(),
        tenantId,
        storeEventPage: async (store, id, page) => {
          const result = await applyEventPage(store, id, page);
          if (page.userId === expiring && typeof page.cursor.deltaLink === 'string') {
            throw new Error('simulated crash after the last page');
          }
          return result;
        },
      });
      expect(dying.mailboxes.find((m) => m.userId === expiring)?.state).toBe('error');
      const stale = await readStoreState(ctx.store, tenantId, [expiring]);
      expect(stale.copies[expiring]?.[meeting.iCalUId as string]).toBeDefined();

      await sim.faults({});
      const resumed = await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
      expect(resumed.failed).toBe(0);
      expect(resumed.mailboxes.find((m) => m.userId === expiring)?.calendars[0]?.swept).toBe(1);
      await expectStoreEqualsSource(ctx.store, sim, tenantId, userIds);
    },
    LONG,
  );
});
