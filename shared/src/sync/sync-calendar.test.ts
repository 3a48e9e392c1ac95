// Pages folded into one write must leave the store exactly as storing them one by one does.
import { describe, expect, it } from 'vitest';
import { applyEventPage, getCalendar, upsertTenant, type EventPage } from '../store/index.js';
import { describeStore, eventPage, mailboxCopy, meeting, seedMailbox } from '../store/testing.js';
import { PendingPages } from './sync-calendar.js';
import { readStoreState, uniqueTenantId } from './testing.js';

const USER = 'user-1';
const jane = {
  email: 'jane@acme.com',
  kind: 'external',
  role: 'required',
  response: 'accepted',
} as const;
const bob = {
  email: 'bob@fabrikam.com',
  kind: 'external',
  role: 'optional',
  response: 'tentativelyAccepted',
} as const;

/** Three pages of a round: changes, a removal, a re-add, and a removal within its own page. */
function roundPages(): EventPage[] {
  const a = meeting('uid-a');
  const b = meeting('uid-b', {
    startAt: Date.UTC(2025, 0, 16, 9),
    endAt: Date.UTC(2025, 0, 16, 10),
  });
  const c = meeting('uid-c', { attendees: [...meeting('uid-c').attendees, bob] });
  return [
    eventPage(USER, [mailboxCopy('g-a', a), mailboxCopy('g-b', b), mailboxCopy('g-c', c)], {
      cursor: {
        nextLink: 'https://graph.example/next/1',
        roundStartedAt: 1,
        windowStart: 0,
        windowEnd: 10,
      },
      receivedAt: 100,
    }),
    eventPage(
      USER,
      // a changed again (one attendee fewer); d added and removed in the same page
      [
        mailboxCopy('g-a', meeting('uid-a', { attendees: [meeting('uid-a').attendees[0]!] })),
        mailboxCopy('g-d', meeting('uid-d')),
      ],
      {
        removedGraphEventIds: ['g-b', 'g-d'],
        cursor: { nextLink: 'https://graph.example/next/2' },
        receivedAt: 200,
      },
    ),
    eventPage(
      USER,
      [mailboxCopy('g-b', meeting('uid-b', { attendees: [jane] }), { response: 'declined' })],
      {
        removedGraphEventIds: ['g-c'],
        cursor: { nextLink: null, deltaLink: 'https://graph.example/delta/3' },
        receivedAt: 300,
      },
    ),
  ];
}

describe('PendingPages', () => {
  it('keeps the counts read, the newest receipt time and every cursor field set along the way', () => {
    const pending = new PendingPages();
    for (const page of roundPages()) {
      pending.add(page.upserts, page.removedGraphEventIds, page.cursor, page.receivedAt);
    }
    const taken = pending.take(USER, 'calendar-1');
    expect(taken?.upserts).toBe(6);
    expect(taken?.removals).toBe(3);
    expect(taken?.page.receivedAt).toBe(300);
    expect(taken?.page.cursor).toEqual({
      nextLink: null,
      deltaLink: 'https://graph.example/delta/3',
      roundStartedAt: 1,
      windowStart: 0,
      windowEnd: 10,
    });
    expect(taken?.page.upserts.map((copy) => copy.graphEventId).sort()).toEqual(['g-a', 'g-b']);
    expect([...(taken?.page.removedGraphEventIds ?? [])].sort()).toEqual(['g-c', 'g-d']);
    expect(pending.take(USER, 'calendar-1')).toBeUndefined();
  });
});

describeStore('pages folded into one write', (ctx) => {
  it('leave the store as storing each page alone does', async () => {
    const oneByOne = uniqueTenantId('pages');
    const folded = uniqueTenantId('folded');
    for (const tenantId of [oneByOne, folded]) {
      await upsertTenant(ctx.store.db, tenantId, { displayName: 'Contoso' });
      await seedMailbox(ctx.store, tenantId, USER);
    }
    for (const page of roundPages()) await applyEventPage(ctx.store, oneByOne, page);
    const pending = new PendingPages();
    for (const page of roundPages()) {
      pending.add(page.upserts, page.removedGraphEventIds, page.cursor, page.receivedAt);
    }
    await applyEventPage(ctx.store, folded, pending.take(USER, 'calendar-1')!.page);

    const state = await readStoreState(ctx.store, folded, [USER]);
    expect(state).toEqual(await readStoreState(ctx.store, oneByOne, [USER]));
    expect(Object.keys(state.events).sort()).toEqual(['uid-a', 'uid-b']);
    expect(state.copies[USER]?.['uid-b']?.response).toBe('declined');
    const cursors = await Promise.all(
      [oneByOne, folded].map((tenantId) => getCalendar(ctx.store.db, tenantId, USER, 'calendar-1')),
    );
    expect(cursors[1]).toMatchObject({
      deltaLink: 'https://graph.example/delta/3',
      nextLink: null,
      roundStartedAt: 1,
    });
    expect(cursors[1]?.deltaLink).toBe(cursors[0]?.deltaLink);
  });
});
