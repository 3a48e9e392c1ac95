import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { StoreDialect } from './dialect.js';
import { openStore, type Store } from './open-store.js';
import { upsertCalendars } from './calendars.js';
import type { EventInput, EventPage, MailboxCopyInput } from './event-page.js';
import { upsertMailboxes } from './mailboxes.js';
import { upsertTenant } from './tenants.js';

/** One engine the store suite runs against, or the reason a required engine is missing. */
export type StoreTarget =
  | { label: string; dialect: 'sqlite' }
  | { label: string; dialect: 'postgres'; url: string }
  | { label: string; missing: string };

/**
 * SQLite always; PostgreSQL when TEST_DATABASE_URL is set. In CI without it the PostgreSQL
 * target is a failure, because a suite that silently skips PostgreSQL proves nothing about it.
 */
export function storeTargets(env: Record<string, string | undefined>): StoreTarget[] {
  const targets: StoreTarget[] = [{ label: 'sqlite', dialect: 'sqlite' }];
  const url = env.TEST_DATABASE_URL?.trim();
  if (url) {
    targets.push({ label: 'postgres', dialect: 'postgres', url });
  } else if (env.CI) {
    targets.push({
      label: 'postgres',
      missing:
        'CI is set but TEST_DATABASE_URL is not: the store suite must run on PostgreSQL in CI. ' +
        'Set TEST_DATABASE_URL=postgres://user@host:5432/db (a database the tests may create schemas in).',
    });
  }
  return targets;
}

export interface StoreTestContext {
  /** the migrated store for this engine, shared by the tests of one describeStore block */
  readonly store: Store;
  readonly dialect: StoreDialect;
  /** creates a tenant with a unique id, so tests in one database never see each other's rows */
  newTenant(displayName?: string): Promise<string>;
  /** a second, independent store on the same database (another connection or pool) */
  openSibling(): Promise<Store>;
  /** an empty, unmigrated store in a new file or schema, dropped after the block */
  openFresh(): Promise<Store>;
}

function uniqueSuffix(): string {
  return `${process.pid}_${randomBytes(4).toString('hex')}`;
}

interface Engine {
  open(location: string): Promise<Store>;
  newLocation(): Promise<string>;
  cleanup(): Promise<void>;
}

function sqliteEngine(): Engine {
  const dir = mkdtempSync(path.join(tmpdir(), 'warmpath-store-'));
  let files = 0;
  return {
    open: (location) => openStore(`sqlite:${location}`),
    newLocation: () => Promise.resolve(path.join(dir, `store-${++files}.db`)),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresEngine(url: string): Engine {
  const schemas: string[] = [];
  return {
    open: (schema) => openStore(url, { schema, poolSize: 4 }),
    newLocation: () => {
      const schema = `wp_test_${uniqueSuffix()}`;
      schemas.push(schema);
      return Promise.resolve(schema);
    },
    cleanup: async () => {
      if (schemas.length === 0) return;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        for (const schema of schemas) await admin.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await admin.end();
      }
    },
  };
}

/**
 * Declares the same tests once per engine. Each block gets its own SQLite file or PostgreSQL
 * schema, migrated before the tests and dropped after them.
 */
export function describeStore(name: string, body: (ctx: StoreTestContext) => void): void {
  for (const target of storeTargets(process.env)) {
    describe(`${name} [${target.label}]`, () => {
      if ('missing' in target) {
        it('runs against PostgreSQL', () => {
          throw new Error(target.missing);
        });
        return;
      }
      const engine = target.dialect === 'sqlite' ? sqliteEngine() : postgresEngine(target.url);
      const opened: Store[] = [];
      let main: Store | undefined;
      let mainLocation = '';
      const openTracked = async (location: string) => {
        const store = await engine.open(location);
        opened.push(store);
        return store;
      };
      const ctx: StoreTestContext = {
        get store() {
          if (main === undefined)
            throw new Error('the store opens in beforeAll; use ctx.store inside tests');
          return main;
        },
        dialect: target.dialect,
        async newTenant(displayName = 'Test tenant') {
          const tenantId = `tenant-${uniqueSuffix()}`;
          await upsertTenant(ctx.store.db, tenantId, { displayName });
          return tenantId;
        },
        openSibling: () => openTracked(mainLocation),
        openFresh: async () => openTracked(await engine.newLocation()),
      };
      beforeAll(async () => {
        mainLocation = await engine.newLocation();
        main = await openTracked(mainLocation);
        await main.migrate();
      });
      afterAll(async () => {
        for (const store of opened) await store.close();
        await engine.cleanup();
      });
      body(ctx);
    });
  }
}

/** A single-instance meeting with sensible defaults; tests override what they check. */
export function meeting(icalUid: string, overrides: Partial<EventInput> = {}): EventInput {
  return {
    icalUid,
    seriesKey: null,
    type: 'singleInstance',
    startAt: Date.UTC(2025, 0, 15, 9, 0),
    endAt: Date.UTC(2025, 0, 15, 9, 30),
    isAllDay: false,
    startDate: null,
    endDate: null,
    originalTimeZone: 'UTC',
    isCancelled: false,
    sensitivity: 'normal',
    isPrivate: false,
    isOnline: true,
    onlineProvider: 'teamsForBusiness',
    attendees: [
      { email: 'alice@contoso.com', kind: 'internal', role: 'organizer', response: 'organizer' },
      { email: 'jane@acme.com', kind: 'external', role: 'required', response: 'accepted' },
    ],
    ...overrides,
  };
}

/** A mailbox's copy of `event`. */
export function mailboxCopy(
  graphEventId: string,
  event: EventInput,
  overrides: Partial<Omit<MailboxCopyInput, 'event'>> = {},
): MailboxCopyInput {
  return {
    graphEventId,
    response: 'accepted',
    isOrganizer: false,
    changeKey: `ck-${graphEventId}`,
    lastModifiedAt: Date.UTC(2025, 0, 1),
    event,
    ...overrides,
  };
}

/** A delta page for `userId`'s calendar 'calendar-1' that carries a next link. */
export function eventPage(
  userId: string,
  upserts: readonly MailboxCopyInput[],
  overrides: Partial<Omit<EventPage, 'userId' | 'upserts'>> = {},
): EventPage {
  return {
    userId,
    calendarId: 'calendar-1',
    upserts,
    removedGraphEventIds: [],
    cursor: { nextLink: `https://graph.example/next/${userId}` },
    receivedAt: Date.UTC(2025, 1, 1),
    ...overrides,
  };
}

/** Registers a mailbox and its calendar 'calendar-1' so pages can be applied to it. */
export async function seedMailbox(store: Store, tenantId: string, userId: string): Promise<void> {
  await upsertMailboxes(store.db, tenantId, [
    { userId, userPrincipalName: `${userId}@contoso.com`, trackedVia: ['group-all'] },
  ]);
  await upsertCalendars(store.db, tenantId, userId, [
    { calendarId: 'calendar-1', name: 'Calendar', isDefault: true, selected: true },
  ]);
}
