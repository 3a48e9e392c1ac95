import { describe, expect, it } from 'vitest';
import type { GraphEvent } from '../graph-types.js';
import { createTenantEngine } from './index.js';
import type { TenantEngine } from './tenant-engine-api.js';
import { attendee, listAll, meeting, person, tenant } from './test-support.js';

const WINDOW = { start: new Date('2026-09-01T00:00:00Z'), end: new Date('2026-10-01T00:00:00Z') };

function loadWith(count: number): TenantEngine {
  const events = Array.from({ length: count }, (_, i) =>
    meeting(
      `m${i}`,
      'ann@contoso.com',
      `2026-09-${String(1 + (i % 28)).padStart(2, '0')}T${String(8 + (i % 9)).padStart(2, '0')}:00:00`,
      [attendee('bob@contoso.com', 'accepted')],
    ),
  );
  return createTenantEngine(
    tenant({ users: [person('ann'), person('bob')], events: { 'id-ann': events } }),
    {
      now: () => new Date('2026-08-01T00:00:00Z'),
    },
  );
}

interface Round {
  events: GraphEvent[];
  removed: string[];
  /** The snapshot this round ran to: the next round's sinceSeq. */
  nextSince: number;
}

/** One delta round as the server runs it: snapshot the seq, then page to the end. */
function deltaRound(
  engine: TenantEngine,
  userId: string,
  sinceSeq: number | undefined,
  { limit = 1000, betweenPages }: { limit?: number; betweenPages?: (page: number) => void } = {},
): Round {
  const untilSeq = engine.currentSeq(userId);
  const round: Round = { events: [], removed: [], nextSince: untilSeq };
  let afterId: string | undefined;
  let page = 0;
  do {
    const result = engine.calendarViewPage({
      userId,
      ...WINDOW,
      afterId,
      limit,
      sinceSeq,
      untilSeq,
    });
    round.events.push(...result.events);
    round.removed.push(...result.removed);
    afterId = result.nextAfterId;
    if (afterId !== undefined) betweenPages?.(page++);
  } while (afterId !== undefined);
  return round;
}

function apply(state: Map<string, GraphEvent>, round: Round): void {
  for (const event of round.events) state.set(event.id, event);
  for (const id of round.removed) state.delete(id);
}

describe('calendarViewPage paging', () => {
  it('pages by id; the pages together equal one big page, and nextAfterId is absent on the last', () => {
    const engine = loadWith(23);
    const whole = engine.calendarViewPage({ userId: 'id-ann', ...WINDOW, limit: 1000 });
    expect(whole.events).toHaveLength(23);
    expect(whole.nextAfterId).toBeUndefined();
    const ids = whole.events.map((e) => e.id);
    expect([...ids].sort()).toEqual(ids);
    const paged: string[] = [];
    let afterId: string | undefined;
    let pages = 0;
    do {
      const page = engine.calendarViewPage({ userId: 'id-ann', ...WINDOW, afterId, limit: 5 });
      paged.push(...page.events.map((e) => e.id));
      afterId = page.nextAfterId;
      pages++;
    } while (afterId !== undefined);
    expect(paged).toEqual(ids);
    expect(pages).toBe(5);
  });

  it('returns only instances overlapping the window', () => {
    const engine = loadWith(28);
    const week = engine.calendarViewPage({
      userId: 'id-bob',
      start: new Date('2026-09-08T00:00:00Z'),
      end: new Date('2026-09-15T00:00:00Z'),
      limit: 100,
    });
    expect(week.events.map((e) => e.start.dateTime.slice(0, 10)).sort()).toEqual([
      '2026-09-08',
      '2026-09-09',
      '2026-09-10',
      '2026-09-11',
      '2026-09-12',
      '2026-09-13',
      '2026-09-14',
    ]);
  });
});

describe('delta rounds', () => {
  it('a first round returns every instance in the window and nothing removed', () => {
    const round = deltaRound(loadWith(10), 'id-bob', undefined, { limit: 3 });
    expect(round.events).toHaveLength(10);
    expect(round.removed).toEqual([]);
  });

  it('returns only an instance created since the seq', () => {
    const engine = loadWith(10);
    const first = deltaRound(engine, 'id-bob', undefined);
    const created = engine.createEvent('id-ann', {
      event: meeting('new', 'ann@contoso.com', '2026-09-20T10:00:00', [
        attendee('bob@contoso.com'),
      ]),
    });
    const second = deltaRound(engine, 'id-bob', first.nextSince);
    expect(second.events.map((e) => e.iCalUId)).toEqual([created.iCalUId]);
    expect(second.removed).toEqual([]);
    expect(deltaRound(engine, 'id-bob', second.nextSince).events).toEqual([]);
  });

  it('returns an updated instance with its new fields and a new changeKey', () => {
    const engine = loadWith(10);
    const first = deltaRound(engine, 'id-bob', undefined);
    const annCopy = listAll(engine, 'id-ann', WINDOW)[4]!;
    engine.updateEvent('id-ann', annCopy.id, { subject: 'Renamed' });
    const second = deltaRound(engine, 'id-bob', first.nextSince);
    expect(second.events).toHaveLength(1);
    const before = first.events.find((e) => e.id === second.events[0]!.id)!;
    expect(second.events[0]!.subject).toBe('Renamed');
    expect(second.events[0]!.changeKey).not.toBe(before.changeKey);
  });

  it('reports a deleted instance as removed', () => {
    const engine = loadWith(10);
    const first = deltaRound(engine, 'id-bob', undefined);
    const victim = first.events[3]!;
    engine.deleteEvent('id-bob', victim.id);
    const second = deltaRound(engine, 'id-bob', first.nextSince);
    expect(second.events).toEqual([]);
    expect(second.removed).toEqual([victim.id]);
  });

  it('reports an instance moved out of the window as removed', () => {
    const engine = loadWith(10);
    const first = deltaRound(engine, 'id-bob', undefined);
    const annCopy = listAll(engine, 'id-ann', WINDOW)[0]!;
    engine.updateEvent('id-ann', annCopy.id, {
      start: { dateTime: '2026-12-01T10:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-12-01T11:00:00', timeZone: 'UTC' },
    });
    const second = deltaRound(engine, 'id-bob', first.nextSince);
    expect(second.events).toEqual([]);
    expect(second.removed).toHaveLength(1);
    expect(first.events.map((e) => e.id)).toContain(second.removed[0]);
  });

  it('leaves changes after untilSeq to the next round', () => {
    const engine = loadWith(5);
    const since = engine.currentSeq('id-bob');
    engine.createEvent('id-ann', {
      event: meeting('a', 'ann@contoso.com', '2026-09-20T10:00:00', [attendee('bob@contoso.com')]),
    });
    const untilSeq = engine.currentSeq('id-bob');
    engine.createEvent('id-ann', {
      event: meeting('b', 'ann@contoso.com', '2026-09-21T10:00:00', [attendee('bob@contoso.com')]),
    });
    const page = engine.calendarViewPage({
      userId: 'id-bob',
      ...WINDOW,
      limit: 100,
      sinceSeq: since,
      untilSeq,
    });
    expect(page.events.map((e) => e.subject)).toEqual(['Subject of a']);
    const next = engine.calendarViewPage({
      userId: 'id-bob',
      ...WINDOW,
      limit: 100,
      sinceSeq: untilSeq,
    });
    expect(next.events.map((e) => e.subject)).toEqual(['Subject of b']);
  });

  it('skips nothing when paging while events are created, changed, moved and deleted', () => {
    const engine = loadWith(40);
    const initial = listAll(engine, 'id-bob', WINDOW);
    const annIds = listAll(engine, 'id-ann', WINDOW).map((e) => e.id);
    const touched = new Set<string>();
    let created = 0;
    const mutate = (page: number): void => {
      engine.createEvent('id-ann', {
        event: meeting(`during-${created++}`, 'ann@contoso.com', '2026-09-15T12:00:00', [
          attendee('bob@contoso.com'),
        ]),
      });
      const target = annIds[(page * 7) % annIds.length]!;
      if (engine.getEvent('id-ann', target) === undefined) return;
      const bobTwin = (id: string) => engine.getEvent('id-ann', id)!.iCalUId!;
      touched.add(bobTwin(target));
      if (page % 3 === 0)
        engine.updateEvent('id-ann', target, { subject: `changed on page ${page}` });
      else if (page % 3 === 1) engine.cancelEvent('id-ann', target);
      else
        engine.updateEvent('id-ann', target, {
          start: { dateTime: '2026-11-02T10:00:00', timeZone: 'UTC' },
          end: { dateTime: '2026-11-02T11:00:00', timeZone: 'UTC' },
        });
    };

    const state = new Map<string, GraphEvent>();
    const first = deltaRound(engine, 'id-bob', undefined, { limit: 3, betweenPages: mutate });
    apply(state, first);
    // every instance that was there and left alone was seen in the first round
    const seen = new Set(first.events.map((e) => e.id));
    for (const event of initial) {
      if (!touched.has(event.iCalUId!)) expect(seen.has(event.id), event.subject).toBe(true);
    }
    apply(state, deltaRound(engine, 'id-bob', first.nextSince, { limit: 3 }));

    const truth = listAll(engine, 'id-bob', WINDOW);
    expect([...state.keys()].sort()).toEqual(truth.map((e) => e.id).sort());
    for (const event of truth) {
      expect(state.get(event.id)).toMatchObject({
        subject: event.subject,
        isCancelled: event.isCancelled,
      });
    }
    expect(created).toBeGreaterThan(5);
  });
});
