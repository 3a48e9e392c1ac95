import { expect, it } from 'vitest';
import { getCalendar, listCalendars, saveCalendarCursor, upsertCalendars } from './calendars.js';
import { StoreNotFoundError } from './errors.js';
import { describeStore, seedMailbox } from './testing.js';

describeStore('calendars', (ctx) => {
  it('lists a mailbox calendars with the default first and an empty cursor', async () => {
    const tenantId = await ctx.newTenant();
    await seedMailbox(ctx.store, tenantId, 'u1');
    await upsertCalendars(ctx.store.db, tenantId, 'u1', [
      { calendarId: 'a-holidays', name: 'Holidays', isDefault: false, selected: false },
    ]);
    const calendars = await listCalendars(ctx.store.db, tenantId, 'u1');
    expect(calendars.map((c) => [c.calendarId, c.isDefault, c.selected])).toEqual([
      ['calendar-1', true, true],
      ['a-holidays', false, false],
    ]);
    expect(calendars[0]).toMatchObject({ deltaLink: null, nextLink: null, lastRoundAt: null });
  });

  it('saves only the cursor fields given and keeps the cursor when the calendar is upserted again', async () => {
    const tenantId = await ctx.newTenant();
    await seedMailbox(ctx.store, tenantId, 'u1');
    await saveCalendarCursor(ctx.store.db, tenantId, 'u1', 'calendar-1', {
      nextLink: 'next-1',
      windowStart: 10,
      windowEnd: 20,
      roundStartedAt: 5,
    });
    await saveCalendarCursor(ctx.store.db, tenantId, 'u1', 'calendar-1', {
      nextLink: null,
      deltaLink: 'delta-1',
      lastRoundAt: 30,
    });
    await upsertCalendars(ctx.store.db, tenantId, 'u1', [
      { calendarId: 'calendar-1', name: 'Renamed', isDefault: true, selected: true },
    ]);
    expect(await getCalendar(ctx.store.db, tenantId, 'u1', 'calendar-1')).toMatchObject({
      name: 'Renamed',
      nextLink: null,
      deltaLink: 'delta-1',
      windowStart: 10,
      windowEnd: 20,
      roundStartedAt: 5,
      lastRoundAt: 30,
    });
  });

  it('reports a cursor for an unknown calendar as not found', async () => {
    const tenantId = await ctx.newTenant();
    await seedMailbox(ctx.store, tenantId, 'u1');
    await expect(
      saveCalendarCursor(ctx.store.db, tenantId, 'u1', 'nope', { nextLink: 'x' }),
    ).rejects.toThrow(StoreNotFoundError);
  });
});
