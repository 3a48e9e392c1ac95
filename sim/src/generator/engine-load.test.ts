import { describe, expect, it } from 'vitest';
import { createTenantEngine, validateTenantFile } from '../engine/index.js';
import { generateTenant, tenantWindow } from './index.js';
import { indexTenant, mailboxInstances } from './test-support.js';

const DAY_MS = 86_400_000;
/** Density at which the 500-person benchmark tenant passes 500,000 mailbox instances. */
const BENCHMARK_DENSITY = 10;

function shiftDate(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function load(options: Parameters<typeof generateTenant>[0]) {
  const generated = generateTenant(options);
  // Round-trip through JSON, as the simulator loads a file.
  const tenant = validateTenantFile(JSON.parse(JSON.stringify(generated.tenant)));
  const engine = createTenantEngine(tenant, { now: () => new Date(`${options.anchor}T00:00:00Z`) });
  return { ...generated, engine, index: indexTenant(tenant), window: tenantWindow(options) };
}

describe('loading into the tenant engine', () => {
  const options = { seed: 7, users: 60, companies: 25, months: 24, anchor: '2026-03-01' };
  const { tenant, engine, index, window } = load(options);

  it('puts each meeting in the mailboxes of the organizer and every internal attendee', () => {
    // Trim two days at each end so local-date and UTC window edges agree.
    const from = shiftDate(window.start, 2);
    const to = shiftDate(window.end, -2);
    const expected = mailboxInstances(index, from, to);
    const stats = engine.stats({
      start: new Date(`${from}T00:00:00Z`),
      end: new Date(`${to}T00:00:00Z`),
    });
    let engineTotal = 0;
    let expectedTotal = 0;
    for (const mailbox of stats) {
      const live = mailbox.events - mailbox.cancelled;
      const mine = expected.get(mailbox.userId) ?? 0;
      engineTotal += live;
      expectedTotal += mine;
      expect(Math.abs(live - mine), mailbox.userPrincipalName).toBeLessThanOrEqual(
        Math.max(4, mine * 0.01),
      );
    }
    expect(Math.abs(engineTotal - expectedTotal)).toBeLessThanOrEqual(expectedTotal * 0.002);
    expect(engineTotal).toBeGreaterThan(40_000);
  });

  it('keeps meetings filed in a second calendar there', () => {
    const [userId = '', calendarId = ''] =
      Object.keys(tenant.events)
        .find((key) => key.includes('/'))
        ?.split('/') ?? [];
    expect(engine.listCalendars(userId).map((calendar) => calendar.id)).toContain(calendarId);
    const page = engine.calendarViewPage({
      userId,
      calendarId,
      start: new Date(`${window.start}T00:00:00Z`),
      end: new Date(`${window.end}T00:00:00Z`),
      limit: 1000,
    });
    expect(page.events.length).toBeGreaterThan(0);
    expect(page.events.every((event) => event.sensitivity === 'private')).toBe(true);
  });

  it('gives users without a mailbox no calendar', () => {
    for (const user of tenant.users.filter((u) => u.mail === null))
      expect(engine.hasMailbox(user.id)).toBe(false);
  });
});

describe('benchmark volume', () => {
  it(`reaches 500,000 mailbox instances over 27 months for 500 people at density ${BENCHMARK_DENSITY}`, () => {
    const options = {
      seed: 1,
      users: 500,
      companies: 100,
      months: 24,
      anchor: '2026-03-01',
      density: BENCHMARK_DENSITY,
    };
    const { tenant, engine, index, window } = load(options);
    const stats = engine.stats({
      start: new Date(`${window.start}T00:00:00Z`),
      end: new Date(`${window.end}T00:00:00Z`),
    });
    const engineInstances = stats.reduce(
      (sum, mailbox) => sum + mailbox.events - mailbox.cancelled,
      0,
    );
    expect(engineInstances).toBeGreaterThanOrEqual(500_000);
    // Counted independently too, people's own mailboxes only (no rooms or shared mailboxes).
    const employees = new Set(
      tenant.users.filter((user) => user.department).map((user) => user.id),
    );
    const own = mailboxInstances(index, window.start, window.end);
    const employeeInstances = [...own.entries()]
      .filter(([userId]) => employees.has(userId))
      .reduce((sum, [, count]) => sum + count, 0);
    expect(employeeInstances).toBeGreaterThanOrEqual(500_000);
  }, 240_000);
});
