import { describe, expect, it } from 'vitest';
import type { GraphEvent, GraphUser } from '../graph-types.js';
import { createTenantEngine } from './index.js';
import { attendee, person, tenant } from './test-support.js';

const MAILBOXES = 200;
const SERIES_PER_ORGANIZER = 25;
const OCCURRENCES_PER_SERIES = 10;

/** Each user organises 25 weekly series of 10 with the next user: ~500 instances per mailbox. */
function syntheticTenant() {
  const users: GraphUser[] = Array.from({ length: MAILBOXES }, (_, i) => person(`user${i}`));
  const events: Record<string, GraphEvent[]> = {};
  users.forEach((user, i) => {
    const colleague = users[(i + 1) % MAILBOXES]!;
    events[user.id] = Array.from({ length: SERIES_PER_ORGANIZER }, (_, s) => {
      const day = String(1 + (s % 28)).padStart(2, '0');
      const hour = String(8 + (s % 9)).padStart(2, '0');
      return {
        id: `${user.id}-series-${s}`,
        subject: `Series ${s}`,
        start: { dateTime: `2026-09-${day}T${hour}:00:00`, timeZone: 'Pacific Standard Time' },
        end: { dateTime: `2026-09-${day}T${hour}:30:00`, timeZone: 'Pacific Standard Time' },
        organizer: { emailAddress: { address: user.mail! } },
        attendees: [attendee(colleague.mail!, 'accepted')],
        recurrence: {
          pattern: { type: 'daily', interval: 7 },
          range: {
            type: 'numbered',
            startDate: `2026-09-${day}`,
            numberOfOccurrences: OCCURRENCES_PER_SERIES,
          },
        },
      };
    });
  });
  return tenant({ users, events });
}

describe('a tenant of 200 mailboxes with ~500 instances each', () => {
  it('loads and pages through every instance of every mailbox', () => {
    const engine = createTenantEngine(syntheticTenant(), {
      now: () => new Date('2026-08-01T00:00:00Z'),
    });
    const window = {
      start: new Date('2026-08-01T00:00:00Z'),
      end: new Date('2027-01-01T00:00:00Z'),
    };
    let total = 0;
    for (const user of engine.listUsers()) {
      let afterId: string | undefined;
      let inMailbox = 0;
      do {
        const page = engine.calendarViewPage({ userId: user.id, ...window, afterId, limit: 100 });
        inMailbox += page.events.length;
        afterId = page.nextAfterId;
      } while (afterId !== undefined);
      expect(inMailbox).toBe(2 * SERIES_PER_ORGANIZER * OCCURRENCES_PER_SERIES);
      total += inMailbox;
    }
    expect(total).toBe(MAILBOXES * 500);
    expect(engine.stats(window).reduce((sum, s) => sum + s.events, 0)).toBe(total);
  });
});
