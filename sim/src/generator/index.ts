// Seeded organisation generator: a realistic Microsoft 365 tenant (directory, groups, rooms,
// mailbox settings, years of meetings) and the relationships planted in it.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TenantFile } from '../graph-types.js';
import { addMonths, dayFromIsoDate, isoDate } from './calendar-days.js';
import { buildExternalWorld } from './companies.js';
import { EventSink } from './events.js';
import { InternalPlanner } from './internal-meetings.js';
import { NoisePlanner } from './noise.js';
import { buildOrganisation } from './organisation.js';
import type { GenerationContext } from './planning.js';
import { plantRelationships, type PlantedRelationships } from './relationships.js';

export type {
  PlantedCompany,
  PlantedConnector,
  PlantedRelationships,
  Tier,
} from './relationships.js';

export const DEFAULT_DENSITY = 8;
/** How far the generated calendars reach past the anchor. */
export const MONTHS_AHEAD = 3;

export interface GenerateTenantOptions {
  seed: number;
  /** Employees (shared, room and equipment mailboxes come on top). */
  users: number;
  /** External companies with planted relationships. */
  companies: number;
  /** Months of history before the anchor. */
  months: number;
  /** "Today" as YYYY-MM-DD: history runs `months` before it and three months after. */
  anchor: string;
  /**
   * Meetings per employee per week: calendar instances in each employee's own mailbox, per week
   * on staff (declined and cancelled ones not counted). 10 takes 500 people past 500,000.
   */
  density?: number;
}

export interface GeneratedTenant {
  tenant: TenantFile;
  planted: PlantedRelationships;
}

/** The window the generated calendars cover: [start, end) as YYYY-MM-DD. */
export function tenantWindow(options: Pick<GenerateTenantOptions, 'anchor' | 'months'>): {
  start: string;
  end: string;
} {
  const anchor = dayFromIsoDate(options.anchor);
  return {
    start: isoDate(addMonths(anchor, -options.months)),
    end: isoDate(addMonths(anchor, MONTHS_AHEAD)),
  };
}

export function generateTenant(options: GenerateTenantOptions): GeneratedTenant {
  const { seed, users, companies, months } = options;
  const density = options.density ?? DEFAULT_DENSITY;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be a whole number, got ${seed}`);
  if (!Number.isInteger(months) || months < 1) {
    throw new RangeError(`months must be a whole number of at least 1, got ${months}`);
  }
  if (!(density > 0)) throw new RangeError(`density must be above 0, got ${density}`);
  const anchor = dayFromIsoDate(options.anchor);
  const historyStart = addMonths(anchor, -months);
  const horizon = addMonths(anchor, MONTHS_AHEAD);

  const org = buildOrganisation({ seed, users, historyStart, anchor });
  const world = buildExternalWorld({
    seed,
    companies,
    reservedDomains: org.organization.verifiedDomains.map((domain) => domain.name),
  });
  const sink = new EventSink(seed, org.tenantId, { from: historyStart, to: horizon }, anchor);
  const ctx: GenerationContext = { seed, anchor, historyStart, horizon, org, world, sink };

  const planted = plantRelationships(ctx);
  const internal = new InternalPlanner(ctx);
  internal.planStructure();
  const noise = new NoisePlanner(ctx);
  noise.webinars();
  noise.communityCall();

  noise.executiveEvents();
  noise.allDayEvents();
  noise.interviews();
  const calendars = noise.personalTime();
  internal.fillToDensity(density);

  // Users' events in directory order, so the file reads naturally and is stable.
  const events: TenantFile['events'] = {};
  const keys = Object.keys(sink.events);
  const order = new Map(org.users.map((user, index) => [user.id, index]));
  keys.sort((a, b) => {
    const [userA = '', calendarA = ''] = a.split('/');
    const [userB = '', calendarB = ''] = b.split('/');
    return (order.get(userA) ?? 0) - (order.get(userB) ?? 0) || calendarA.localeCompare(calendarB);
  });
  for (const key of keys) events[key] = sink.events[key] ?? [];

  const tenant: TenantFile = {
    organization: org.organization,
    users: org.users,
    groups: org.groups,
    mailboxSettings: org.mailboxSettings,
    calendars,
    events,
    rooms: org.graphRooms,
  };
  return { tenant, planted };
}

/** The planted-truth file that sits beside a tenant file: "x.json" → "x.planted.json". */
export function plantedPathFor(tenantPath: string): string {
  return `${tenantPath.replace(/\.json$/i, '')}.planted.json`;
}

/** Writes the tenant file and its planted relationships beside it. */
export async function writeTenant(path: string, result: GeneratedTenant): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(result.tenant)}\n`);
  await writeFile(plantedPathFor(path), `${JSON.stringify(result.planted, null, 2)}\n`);
}
