// `npm run sync` killed with SIGKILL in the middle of its first round, under 429s, 503s and
// dropped connections, then started again; then a delta round after mutations and an expired
// delta token. The store must end equal to the simulator's source: 0 lost, 0 duplicated, and no
// mailbox ever saw more than 4 Graph requests in flight.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listCalendars, listMailboxes, openStore, type Store } from '@warmpath/shared/store';
import {
  calendarInstances,
  expectedState,
  readStoreState,
  resourceAddresses,
  smallGeneratedTenant,
  startSyncSimulator,
  type SyncSimulator,
} from '@warmpath/shared/sync/testing';
import type { GraphEvent } from '@warmpath/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** What the test's own environment must not hand to the command (it configures it below). */
const OWN_VARIABLES = new Set(['DATABASE_URL', 'LOG_LEVEL', 'TENANT_ID', 'CLIENT_ID']);
const FAULTS = { rate429: 0.1, rate503: 0.05, dropRate: 0.02, retryAfterSeconds: 0.05, seed: 11 };
/** Mailbox copies stored before the kill: a few pages into the first round. */
const KILL_AFTER_COPIES = 600;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Run {
  child: ChildProcess;
  done: Promise<Exit>;
}

/** `npm run sync -- …` as a child process, as the script starts it. */
function startSync(args: string[], env: Record<string, string>): Run {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !OWN_VARIABLES.has(name)),
  );
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', 'bot/src/sync-cli.ts', ...args],
    { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Exit>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Mailbox copies in the store, all tenants (the database holds one). */
async function storedCopies(store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('mailbox_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const isStored = (event: GraphEvent): boolean =>
  event.sensitivity !== 'private' && event.sensitivity !== 'confidential';

describe('npm run sync killed with SIGKILL mid-round', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warmpath-sync-crash-'));
  let sim: SyncSimulator;
  let store: Store;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = await startSyncSimulator(smallGeneratedTenant());
    const databaseUrl = `sqlite:${join(dir, 'warmpath.db')}`;
    env = { ...sim.server.env(), DATABASE_URL: databaseUrl };
    // the test reads the file while the command writes it (WAL: readers never block the writer)
    store = await openStore(databaseUrl);
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every person's mailbox is synced and holds exactly the source, nothing twice. */
  async function expectStoreEqualsSource(): Promise<string[]> {
    const tenantId = sim.engine.tenantId;
    const mailboxes = await listMailboxes(store.db, tenantId);
    // 0 lost: every user with a person's mailbox is tracked (`--track all`) and synced
    const resources = resourceAddresses(sim.engine);
    const people = sim.engine
      .listUsers()
      .filter((user) => user.mail && !resources.has(user.mail.toLowerCase()))
      .map((user) => user.id);
    expect(mailboxes.map((m) => m.userId).sort()).toEqual(people.sort());
    for (const mailbox of mailboxes) {
      expect(mailbox.state, `${mailbox.userPrincipalName}: ${mailbox.lastErrorMessage}`).toBe(
        'synced',
      );
    }
    const userIds = mailboxes.map((m) => m.userId);
    const actual = await readStoreState(store, tenantId, userIds);
    const expected = await expectedState(sim.engine, store, tenantId, userIds);
    for (const userId of userIds) {
      expect(actual.copies[userId], `copies of ${userId}`).toEqual(expected.copies[userId]);
    }
    expect(actual.events).toEqual(expected.events);
    // the comparison keys by iCalUId; the raw rows show nothing was stored twice under another id
    const rows = await store.db
      .selectFrom('mailbox_events')
      .select((eb) => ['user_id as userId', eb.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', tenantId)
      .groupBy('user_id')
      .execute();
    const rowsByUser = Object.fromEntries(rows.map((r) => [r.userId, Number(r.n)]));
    for (const mailbox of mailboxes) {
      const copies = Object.keys(expected.copies[mailbox.userId] ?? {}).length;
      expect(rowsByUser[mailbox.userId] ?? 0, `rows of ${mailbox.userPrincipalName}`).toBe(copies);
      expect(mailbox.eventsStored).toBe(copies);
    }
    const events = await store.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(Object.keys(expected.events).length);
    return userIds;
  }

  it('ends equal to the source: 0 lost, 0 duplicated, at most 4 requests per mailbox', async () => {
    await sim.faults(FAULTS);

    // 1. the first round (tracking every mailbox), killed once a few pages are stored
    const first = startSync(['--track', 'all'], env);
    let copiesAtKill = 0;
    for (;;) {
      const exited = await Promise.race([
        first.done.then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), 20)),
      ]);
      if (exited) break;
      copiesAtKill = await storedCopies(store);
      if (copiesAtKill >= KILL_AFTER_COPIES) {
        first.child.kill('SIGKILL');
        break;
      }
    }
    const killed = await first.done;
    expect(killed.signal, `ended before the kill (exit ${killed.code}): ${killed.stderr}`).toBe(
      'SIGKILL',
    );
    const tenantId = sim.engine.tenantId;
    const cut = await listMailboxes(store.db, tenantId);
    // a round cut in the middle: some mailboxes done or half done, others not started
    expect(cut.some((m) => m.state !== 'synced')).toBe(true);
    expect(copiesAtKill).toBeGreaterThan(0);

    // 2. started again, it goes on to the end
    const resumed = await startSync(['--once'], env).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    const userIds = await expectStoreEqualsSource();

    // 3. mutations, and one mailbox's delta token expired: a delta round, and a new full round
    // whose sweep alone can see what was deleted or cancelled meanwhile
    const window = { start: Date.parse('2026-11-02'), end: Date.parse('2027-01-20') };
    const ownMeetings = (userId: string) =>
      calendarInstances(sim.engine, userId, undefined, window).filter(
        (e) => e.isOrganizer && !e.isCancelled && e.type === 'singleInstance' && isStored(e),
      );
    const invitations = (userId: string) =>
      calendarInstances(sim.engine, userId, undefined, window).filter(
        (e) => !e.isOrganizer && !e.isCancelled && isStored(e),
      );
    const expiring = userIds.find((id) => ownMeetings(id).length >= 2);
    const changing = userIds.find((id) => id !== expiring && ownMeetings(id).length >= 2);
    const attendee = userIds.find(
      (id) => id !== expiring && id !== changing && invitations(id).length >= 2,
    );
    if (!expiring || !changing || !attendee) throw new Error('the tenant has too few meetings');
    const [gone, cancelled] = ownMeetings(expiring) as [GraphEvent, GraphEvent];
    sim.engine.deleteEvent(expiring, gone.id);
    sim.engine.cancelEvent(expiring, cancelled.id);
    const [moved, called] = ownMeetings(changing) as [GraphEvent, GraphEvent];
    sim.engine.updateEvent(changing, moved.id, {
      start: { dateTime: '2026-12-01T10:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-12-01T11:00:00', timeZone: 'UTC' },
    });
    sim.engine.cancelEvent(changing, called.id);
    const [declined, removed] = invitations(attendee) as [GraphEvent, GraphEvent];
    sim.engine.respond(attendee, declined.id, 'declined');
    sim.engine.deleteEvent(attendee, removed.id);
    await sim.faults({ expireDeltaTokens: [expiring] });
    const before = Date.now();

    const third = await startSync(['--once'], env).done;
    expect(third.code, third.stderr).toBe(0);
    await expectStoreEqualsSource();
    const [rebaselined] = await listCalendars(store.db, tenantId, expiring);
    expect(rebaselined?.roundStartedAt ?? 0, 'a new full round after the 410').toBeGreaterThan(
      before,
    );

    // the simulator saw the faults, and never more than 4 requests at once for one mailbox
    const stats = await sim.stats({ start: 0, end: Date.parse('2030-01-01') });
    expect(stats.requests.byStatus['429']).toBeGreaterThan(0);
    expect(stats.requests.byStatus['503']).toBeGreaterThan(0);
    expect(stats.requests.byStatus['0'], 'dropped connections').toBeGreaterThan(0);
    expect(stats.requests.byStatus['410'], 'the expired delta token').toBeGreaterThan(0);
    const mailboxes = stats.tenants[0]?.mailboxes ?? [];
    expect(mailboxes.length).toBeGreaterThan(0);
    for (const report of mailboxes) {
      expect(report.peakConcurrency, report.userPrincipalName).toBeLessThanOrEqual(4);
    }
  }, 120_000);
});
