// The ties table against the stored meetings: the incremental path and a full rebuild agree, and
// what must count for nothing counts for nothing.
import { expect, it } from 'vitest';
import {
  applyEventPage,
  updateTenantSettings,
  upsertTenant,
  type AttendeeInput,
  type EventInput,
  type Store,
  type TieRow,
} from '../store/index.js';
import { describeStore, eventPage, mailboxCopy, meeting, seedMailbox } from '../store/testing.js';
import { uniqueTenantId } from '../sync/testing.js';
import {
  applyScoreQueue,
  getScoringState,
  readTieSpans,
  rebuildTies,
  refreshTies,
  repairTieSpans,
} from './ties.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 21);
const OWNER = 'owner-1';

const internal = (
  email: string,
  role: AttendeeInput['role'] = 'required',
  response: AttendeeInput['response'] = 'accepted',
): AttendeeInput => ({
  email,
  kind: 'internal',
  role,
  response,
});
const external = (
  email: string,
  response: AttendeeInput['response'] = 'accepted',
  isPersonalDomain = false,
): AttendeeInput => ({
  email,
  kind: 'external',
  role: 'required',
  response,
  domain: email.split('@')[1],
  isPersonalDomain,
});

function at(daysAgo: number, overrides: Partial<EventInput> & { uid: string }): EventInput {
  const { uid, ...rest } = overrides;
  return meeting(uid, {
    startAt: NOW - daysAgo * DAY,
    endAt: NOW - daysAgo * DAY + 30 * 60_000,
    ...rest,
  });
}

/** Alice's meeting with Jane (Acme), `daysAgo` days before NOW. */
const aliceAndJane = (uid: string, daysAgo: number) =>
  at(daysAgo, {
    uid,
    attendees: [internal('alice@contoso.com', 'organizer', 'organizer'), external('jane@acme.com')],
  });

async function newTenant(store: Store, label: string): Promise<string> {
  const tenantId = uniqueTenantId(label);
  await upsertTenant(store.db, tenantId, { displayName: 'Contoso' });
  await seedMailbox(store, tenantId, OWNER);
  return tenantId;
}

async function store(s: Store, tenantId: string, events: EventInput[], removed: string[] = []) {
  await applyEventPage(
    s,
    tenantId,
    eventPage(
      OWNER,
      events.map((e) => mailboxCopy(`g-${e.icalUid}`, e)),
      { removedGraphEventIds: removed.map((uid) => `g-${uid}`) },
    ),
  );
}

/** Ties as comparable text: person>other with counts and the decayed sums read at NOW. */
async function tiesOf(s: Store, tenantId: string): Promise<Map<string, TieRow>> {
  const rows = await s.db
    .selectFrom('ties')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .execute();
  const emails = new Map(
    (
      await s.db
        .selectFrom('people')
        .select(['person_id', 'email'])
        .where('tenant_id', '=', tenantId)
        .execute()
    ).map((p) => [p.person_id, p.email]),
  );
  return new Map(
    rows.map((row) => [`${emails.get(row.person_id)}>${emails.get(row.other_id)}`, row]),
  );
}

/** Each employee's count of external contacts, as stored beside the ties. */
async function degreesOf(s: Store, tenantId: string): Promise<Record<number, number>> {
  const rows = await s.db
    .selectFrom('tie_degrees')
    .select(['person_id', 'external_contacts'])
    .where('tenant_id', '=', tenantId)
    .where('external_contacts', '<>', 0)
    .execute();
  return Object.fromEntries(rows.map((row) => [row.person_id, row.external_contacts]));
}

const spanKnown = (tie: TieRow) =>
  tie.other_internal === 1 || (tie.first_met !== null && tie.first_met >= 0);

function expectSameTies(actual: Map<string, TieRow>, expected: Map<string, TieRow>) {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [key, want] of expected) {
    const got = actual.get(key)!;
    expect({
      key,
      meetings: got.meetings,
      oneOnOnes: got.one_on_ones,
      reciprocated: got.reciprocated,
      domain: got.other_domain,
      internal: got.other_internal,
      // a span the updates left unknown is read when shown; a known one must be the rebuild's
      firstMet: spanKnown(got) ? got.first_met : want.first_met,
      lastMet: spanKnown(got) ? got.last_met : want.last_met,
    }).toEqual({
      key,
      meetings: want.meetings,
      oneOnOnes: want.one_on_ones,
      reciprocated: want.reciprocated,
      domain: want.other_domain,
      internal: want.other_internal,
      firstMet: want.first_met,
      lastMet: want.last_met,
    });
    for (const column of ['g30', 'g90', 'g365'] as const) {
      // sums built in another order differ in the last bits only
      expect(Math.abs(got[column] - want[column])).toBeLessThanOrEqual(
        Math.abs(want[column]) * 1e-9,
      );
    }
  }
}

describeStore('relationship ties', (ctx) => {
  it('kept up incrementally through changes, equal a full rebuild of the same meetings', async () => {
    const tenantId = await newTenant(ctx.store, 'ties');
    await rebuildTies(ctx.store, tenantId, { now: NOW });
    const team = ['alice@contoso.com', 'bob@contoso.com', 'cara@contoso.com'];
    const contacts = ['jane@acme.com', 'raj@acme.com', 'li@fabrikam.com', 'sam@gmail.com'];
    // a deterministic mix: sizes 2–5, organisers, answers, some recurring or in person
    const answers = ['accepted', 'tentativelyAccepted', 'none', 'declined', 'accepted'] as const;
    const events: EventInput[] = [];
    for (let i = 0; i < 40; i++) {
      const people = [internal(team[i % 3]!, 'organizer', 'organizer')];
      if (i % 4 === 0) people.push(internal(team[(i + 1) % 3]!, 'required', answers[i % 5]));
      for (let k = 0; k < 1 + (i % 3); k++) {
        people.push(
          external(
            contacts[(i + k) % 4]!,
            answers[(i + k) % 5],
            contacts[(i + k) % 4]!.endsWith('gmail.com'),
          ),
        );
      }
      events.push(
        at(3 + i * 9, {
          uid: `m${i}`,
          attendees: people,
          type: i % 5 === 0 ? 'occurrence' : 'singleInstance',
          isOnline: i % 3 !== 0,
        }),
      );
    }
    await store(ctx.store, tenantId, events.slice(0, 25));
    await refreshTies(ctx.store, tenantId, { now: NOW });
    await store(ctx.store, tenantId, events.slice(25));
    // changes: a cancellation, a changed answer, an attendee dropped, a meeting deleted
    await store(
      ctx.store,
      tenantId,
      [
        { ...events[2]!, isCancelled: true },
        {
          ...events[4]!,
          attendees: events[4]!.attendees.map((a) =>
            a.kind === 'external' ? { ...a, response: 'declined' as const } : a,
          ),
        },
        { ...events[6]!, attendees: events[6]!.attendees.slice(0, 2) },
      ],
      ['m8'],
    );
    const applied = await refreshTies(ctx.store, tenantId, { now: NOW });
    expect(applied.rebuilt).toBe(false);
    expect(applied.events).toBeGreaterThan(0);
    const incremental = await tiesOf(ctx.store, tenantId);
    expect(incremental.size).toBeGreaterThan(5);
    const degrees = await degreesOf(ctx.store, tenantId);
    expect(Object.keys(degrees).length).toBe(3);

    await rebuildTies(ctx.store, tenantId, { now: NOW });
    expectSameTies(incremental, await tiesOf(ctx.store, tenantId));
    expect(await degreesOf(ctx.store, tenantId)).toEqual(degrees);
  });

  it('counts declined and cancelled meetings for nothing', async () => {
    const tenantId = await newTenant(ctx.store, 'declined');
    await store(ctx.store, tenantId, [
      at(5, {
        uid: 'declined',
        attendees: [
          internal('alice@contoso.com', 'organizer', 'organizer'),
          external('jane@acme.com', 'declined'),
        ],
      }),
      at(6, {
        uid: 'cancelled',
        isCancelled: true,
        attendees: [
          internal('alice@contoso.com', 'organizer', 'organizer'),
          external('raj@acme.com'),
        ],
      }),
    ]);
    await refreshTies(ctx.store, tenantId, { now: NOW });
    expect((await tiesOf(ctx.store, tenantId)).size).toBe(0);
  });

  it('makes internal ties but no external one from an internal-only meeting', async () => {
    const tenantId = await newTenant(ctx.store, 'internal');
    await store(ctx.store, tenantId, [
      at(5, {
        uid: 'standup',
        attendees: [
          internal('alice@contoso.com', 'organizer', 'organizer'),
          internal('bob@contoso.com'),
        ],
      }),
    ]);
    await refreshTies(ctx.store, tenantId, { now: NOW });
    const ties = await tiesOf(ctx.store, tenantId);
    expect([...ties.keys()].sort()).toEqual([
      'alice@contoso.com>bob@contoso.com',
      'bob@contoso.com>alice@contoso.com',
    ]);
    expect(
      [...ties.values()].every((tie) => tie.other_internal === 1 && tie.other_domain === null),
    ).toBe(true);
  });

  it('ties contacts on personal mail domains as people, never to a company', async () => {
    const tenantId = await newTenant(ctx.store, 'personal');
    await store(ctx.store, tenantId, [
      at(5, {
        uid: 'coffee',
        attendees: [
          internal('alice@contoso.com', 'organizer', 'organizer'),
          external('sam@gmail.com', 'accepted', true),
        ],
      }),
    ]);
    await refreshTies(ctx.store, tenantId, { now: NOW });
    const tie = (await tiesOf(ctx.store, tenantId)).get('alice@contoso.com>sam@gmail.com');
    expect(tie?.meetings).toBe(1);
    expect(tie?.other_domain).toBeNull();
  });

  it('counts private appointments only while the tenant allows them', async () => {
    const tenantId = await newTenant(ctx.store, 'private');
    await store(ctx.store, tenantId, [
      at(5, {
        uid: 'private',
        isPrivate: true,
        sensitivity: 'private',
        attendees: [
          internal('alice@contoso.com', 'organizer', 'organizer'),
          external('jane@acme.com'),
        ],
      }),
    ]);
    await refreshTies(ctx.store, tenantId, { now: NOW });
    expect((await tiesOf(ctx.store, tenantId)).size).toBe(0);
    await updateTenantSettings(ctx.store.db, tenantId, { syncPrivateAppointments: true });
    await rebuildTies(ctx.store, tenantId, { now: NOW });
    expect(
      (await tiesOf(ctx.store, tenantId)).get('alice@contoso.com>jane@acme.com')?.meetings,
    ).toBe(1);
  });

  it('counts a meeting once it has started, when the scoring clock passes it', async () => {
    const tenantId = await newTenant(ctx.store, 'clock');
    await store(ctx.store, tenantId, [
      at(-2, {
        uid: 'next-week',
        attendees: [
          internal('alice@contoso.com', 'organizer', 'organizer'),
          external('jane@acme.com'),
        ],
      }),
    ]);
    await refreshTies(ctx.store, tenantId, { now: NOW });
    expect((await tiesOf(ctx.store, tenantId)).size).toBe(0);
    await refreshTies(ctx.store, tenantId, { now: NOW + 3 * DAY });
    expect((await getScoringState(ctx.store.db, tenantId))?.scoredUntil).toBe(NOW + 3 * DAY);
    expect(
      (await tiesOf(ctx.store, tenantId)).get('alice@contoso.com>jane@acme.com')?.meetings,
    ).toBe(1);
  });

  it('drops a tie when its last meeting is deleted, and an empty queue changes nothing', async () => {
    const tenantId = await newTenant(ctx.store, 'deleted');
    const only = at(5, {
      uid: 'only',
      attendees: [
        internal('alice@contoso.com', 'organizer', 'organizer'),
        external('jane@acme.com'),
      ],
    });
    await store(ctx.store, tenantId, [only]);
    await refreshTies(ctx.store, tenantId, { now: NOW });
    expect((await tiesOf(ctx.store, tenantId)).size).toBe(2 - 1);
    expect(Object.values(await degreesOf(ctx.store, tenantId))).toEqual([1]);
    await store(ctx.store, tenantId, [], ['only']);
    await refreshTies(ctx.store, tenantId, { now: NOW });
    expect((await tiesOf(ctx.store, tenantId)).size).toBe(0);
    expect(await degreesOf(ctx.store, tenantId)).toEqual({});
    expect(await applyScoreQueue(ctx.store, tenantId)).toEqual({
      events: 0,
      attendanceRows: 0,
      ties: 0,
    });
  });

  it('keeps first and last met true when the meeting that set them is deleted, cancelled or declined', async () => {
    const tenantId = await newTenant(ctx.store, 'spans');
    const meetings = [
      aliceAndJane('m60', 60),
      aliceAndJane('m40', 40),
      aliceAndJane('m20', 20),
      aliceAndJane('m5', 5),
    ];
    await store(ctx.store, tenantId, meetings);
    await refreshTies(ctx.store, tenantId, { now: NOW });
    const span = async () => {
      const [tie] = [...(await tiesOf(ctx.store, tenantId)).values()];
      const key = { personId: tie!.person_id, otherId: tie!.other_id };
      const read = (await readTieSpans(ctx.store, tenantId, [key])).get(
        `${key.personId}:${key.otherId}`,
      );
      // a stored span, when known, is what the meetings say
      if (spanKnown(tie!))
        expect([tie!.first_met, tie!.last_met]).toEqual([read!.firstMet, read!.lastMet]);
      return { first: (NOW - read!.firstMet) / DAY, last: (NOW - read!.lastMet) / DAY };
    };
    expect(await span()).toEqual({ first: 60, last: 5 });

    await store(ctx.store, tenantId, [], ['m60']);
    await refreshTies(ctx.store, tenantId, { now: NOW });
    expect(await span()).toEqual({ first: 40, last: 5 });

    await store(ctx.store, tenantId, [{ ...meetings[3]!, isCancelled: true }]);
    await refreshTies(ctx.store, tenantId, { now: NOW });
    expect(await span()).toEqual({ first: 40, last: 20 });

    const declined = {
      ...meetings[1]!,
      attendees: [meetings[1]!.attendees[0]!, external('jane@acme.com', 'declined')],
    };
    await store(ctx.store, tenantId, [declined]);
    await refreshTies(ctx.store, tenantId, { now: NOW });
    expect(await span()).toEqual({ first: 20, last: 20 });

    // the incremental spans are the rebuild's spans
    const incremental = await tiesOf(ctx.store, tenantId);
    await rebuildTies(ctx.store, tenantId, { now: NOW });
    expectSameTies(incremental, await tiesOf(ctx.store, tenantId));
  });

  it('marks a span unknown when the meeting that set it goes, and the repair after a run makes it known again', async () => {
    const tenantId = await newTenant(ctx.store, 'span-repair');
    await store(ctx.store, tenantId, [aliceAndJane('m60', 60), aliceAndJane('m5', 5)]);
    await refreshTies(ctx.store, tenantId, { now: NOW });
    const stored = async () => {
      const [tie] = [...(await tiesOf(ctx.store, tenantId)).values()];
      return spanKnown(tie!)
        ? [(NOW - tie!.first_met!) / DAY, (NOW - tie!.last_met!) / DAY]
        : 'unknown';
    };
    expect(await stored()).toEqual([60, 5]);

    await store(ctx.store, tenantId, [], ['m5']);
    await applyScoreQueue(ctx.store, tenantId);
    expect(await stored()).toBe('unknown');
    expect(await repairTieSpans(ctx.store, tenantId)).toBe(1);
    expect(await stored()).toEqual([60, 60]);
    expect(await repairTieSpans(ctx.store, tenantId)).toBe(0);

    // a meeting added later moves a known span, and refreshTies repairs what its run left unknown
    await store(ctx.store, tenantId, [aliceAndJane('m3', 3)], ['m60']);
    const run = await refreshTies(ctx.store, tenantId, { now: NOW });
    expect(run.spansRepaired).toBe(1);
    expect(await stored()).toEqual([3, 3]);
  });
});
