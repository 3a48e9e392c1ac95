// Several workers (here: two Store instances, i.e. two connection pools on one schema, as two
// processes would have) writing pages for overlapping meetings at the same moment. On PostgreSQL
// under READ COMMITTED this is where a meeting could keep a row with no copy left (two pages
// removing its last two copies each still saw the other's) or a copy could point at a meeting
// another page was dropping. SQLite runs one writer at a time; the suite runs there too.
import { expect, it } from 'vitest';
import { applyEventPage, removeMailboxCopies, type MailboxCopyInput } from './event-page.js';
import type { StoreDb } from './open-store.js';
import type { ResponseStatus } from './schema.js';
import { describeStore, eventPage, mailboxCopy, meeting, seedMailbox } from './testing.js';

const ROUNDS = 25;
const MEETINGS = 8;

/** Rows that break the references applyEventPage and removeMailboxCopies must keep whole. */
async function brokenReferences(db: StoreDb, tenantId: string) {
  const eventsWithoutCopies = await db
    .selectFrom('events as e')
    .select('e.ical_uid')
    .where('e.tenant_id', '=', tenantId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('mailbox_events as m')
            .select('m.event_id')
            .whereRef('m.tenant_id', '=', 'e.tenant_id')
            .whereRef('m.event_id', '=', 'e.event_id'),
        ),
      ),
    )
    .orderBy('e.ical_uid')
    .execute();
  const copiesWithoutEvent = await db
    .selectFrom('mailbox_events as m')
    .select(['m.user_id', 'm.graph_event_id'])
    .where('m.tenant_id', '=', tenantId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('events as e')
            .select('e.event_id')
            .whereRef('e.tenant_id', '=', 'm.tenant_id')
            .whereRef('e.event_id', '=', 'm.event_id'),
        ),
      ),
    )
    .orderBy('m.graph_event_id')
    .execute();
  const attendanceWithoutEvent = await db
    .selectFrom('attendance as a')
    .select(['a.event_id', 'a.person_id'])
    .where('a.tenant_id', '=', tenantId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('events as e')
            .select('e.event_id')
            .whereRef('e.tenant_id', '=', 'a.tenant_id')
            .whereRef('e.event_id', '=', 'a.event_id'),
        ),
      ),
    )
    .execute();
  return {
    eventsWithoutCopies: eventsWithoutCopies.map((row) => row.ical_uid),
    copiesWithoutEvent: copiesWithoutEvent.map((row) => `${row.user_id}/${row.graph_event_id}`),
    attendanceWithoutEvent: attendanceWithoutEvent.length,
  };
}

async function storedUids(db: StoreDb, tenantId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('events')
    .select('ical_uid')
    .where('tenant_id', '=', tenantId)
    .orderBy('ical_uid')
    .execute();
  return rows.map((row) => row.ical_uid);
}

describeStore('pages from several workers at once', (ctx) => {
  it('never leaves a meeting without a copy, a copy without its meeting, or attendance without a meeting', async () => {
    const tenantId = await ctx.newTenant();
    const users = ['u-ann', 'u-ben', 'u-cat', 'u-dan'];
    for (const userId of users) await seedMailbox(ctx.store, tenantId, userId);
    // two independent pools stand in for two worker processes; SQLite's synchronous driver would
    // block the one event loop on a second connection's lock, so there one store plays both
    const workerA = ctx.store;
    const workerB = ctx.dialect === 'postgres' ? await ctx.openSibling() : ctx.store;

    // Cat and Dan attach copies of these while Ann's and Ben's go; the doomed lose every copy
    const uids = Array.from({ length: MEETINGS }, (_, index) => `uid-${index}`);
    const doomed = Array.from({ length: MEETINGS }, (_, index) => `doomed-${index}`);
    const all = [...uids, ...doomed];
    const version = (uid: string, janeResponds: ResponseStatus) =>
      meeting(uid, {
        attendees: [
          {
            email: 'alice@contoso.com',
            kind: 'internal',
            role: 'organizer',
            response: 'organizer',
          },
          { email: 'jane@acme.com', kind: 'external', role: 'required', response: janeResponds },
        ],
      });
    const copies = (userId: string, list: readonly string[], janeResponds: ResponseStatus) =>
      list.map((uid): MailboxCopyInput =>
        mailboxCopy(`${userId}:${uid}`, version(uid, janeResponds)),
      );
    const removals = (userId: string, list: readonly string[]) =>
      eventPage(userId, [], { removedGraphEventIds: list.map((uid) => `${userId}:${uid}`) });

    const firstHalf = uids.slice(0, MEETINGS / 2);
    const secondHalf = uids.slice(MEETINGS / 2);
    const problems: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const problemsBefore = problems.length;
      // Ann and Ben hold a copy of every meeting
      await applyEventPage(workerA, tenantId, eventPage('u-ann', copies('u-ann', all, 'accepted')));
      await applyEventPage(workerB, tenantId, eventPage('u-ben', copies('u-ben', all, 'accepted')));

      // at the same moment: Ann and Ben remove the last two copies of every meeting (Ben in
      // reverse order), while Cat and Dan attach new copies of half the uid- meetings each, with
      // a changed response so attendance is written too
      await Promise.all([
        applyEventPage(workerA, tenantId, removals('u-ann', all)),
        applyEventPage(workerB, tenantId, removals('u-ben', [...all].reverse())),
        applyEventPage(
          workerA,
          tenantId,
          eventPage('u-cat', copies('u-cat', firstHalf, 'tentativelyAccepted')),
        ),
        applyEventPage(
          workerB,
          tenantId,
          eventPage('u-dan', copies('u-dan', secondHalf, 'declined').reverse()),
        ),
      ]);
      const afterSwap = await brokenReferences(ctx.store.db, tenantId);
      const kept = await storedUids(ctx.store.db, tenantId);
      if (kept.join() !== uids.join()) {
        problems.push(`round ${round}: Cat and Dan hold ${uids.join()} but stored ${kept.join()}`);
      }

      // and again at once: Cat's copies leave by page, Dan's by a sweep; nothing may remain
      await Promise.all([
        applyEventPage(workerA, tenantId, removals('u-cat', firstHalf)),
        removeMailboxCopies(workerB, tenantId, 'u-dan'),
      ]);
      const afterRemoval = await brokenReferences(ctx.store.db, tenantId);
      const left = await storedUids(ctx.store.db, tenantId);
      for (const [when, broken] of [
        ['after the swap', afterSwap],
        ['after the removal', afterRemoval],
      ] as const) {
        if (
          broken.eventsWithoutCopies.length > 0 ||
          broken.copiesWithoutEvent.length > 0 ||
          broken.attendanceWithoutEvent > 0
        ) {
          problems.push(`round ${round} ${when}: ${JSON.stringify(broken)}`);
        }
      }
      if (left.length > 0)
        problems.push(`round ${round}: no copy is left but ${left.join()} remain`);
      if (problems.length > problemsBefore) {
        // start the next round from a clean tenant so each round shows its own race
        await ctx.store.db.deleteFrom('attendance').where('tenant_id', '=', tenantId).execute();
        await ctx.store.db.deleteFrom('mailbox_events').where('tenant_id', '=', tenantId).execute();
        await ctx.store.db.deleteFrom('events').where('tenant_id', '=', tenantId).execute();
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
