// A Teams bot turn (issue 5): from the activity POSTed to /api/messages to the bot's reply
// reaching the Bot Framework connector, p95 at most 200 ms. The real path: restify, the
// TeamsAdapter (local mode, no Bot Framework auth), teams-ai routing, the store's intro paths on
// SQLite and the Adaptive Card, replied through the connector client to a loopback connector.
// The tenant: 80 tracked employees, 40 companies of 6 contacts, about 9,000 meetings over 6 months.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rebuildTies } from '@warmpath/shared/scoring';
import {
  applyEventPage,
  openStore,
  setMailboxState,
  upsertCalendars,
  upsertMailboxes,
  upsertPeople,
  upsertTenant,
  type AttendeeInput,
  type EventInput,
  type Store,
} from '@warmpath/shared/store';
import { meeting } from '@warmpath/shared/store/testing';
import { loadRestify } from '../bot/src/server/restify.js';
import { createTeamsBot } from '../bot/src/teams/index.js';
import type { BenchResult } from './results.js';

const EMPLOYEES = 80;
const COMPANIES = 40;
const CONTACTS_PER_COMPANY = 6;
const MEETINGS_PER_EMPLOYEE = 110;
const WARM_UP_TURNS = 40;
const TIMED_TURNS = 400;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 21);
const TENANT = 'bench-bot-tenant';

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same tenant. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const employee = (i: number) => `employee${i}@contoso.com`;
const company = (c: number) => `company${c}.com`;
const contact = (c: number, k: number) => `contact${k}@${company(c)}`;

function attendee(email: string, role: AttendeeInput['role']): AttendeeInput {
  const internal = email.endsWith('@contoso.com');
  return {
    email,
    kind: internal ? 'internal' : 'external',
    role,
    response: role === 'organizer' ? 'organizer' : 'accepted',
    displayName: email.split('@')[0]!,
    ...(internal ? {} : { domain: email.split('@')[1]! }),
  };
}

async function seedTenant(store: Store): Promise<void> {
  await upsertTenant(store.db, TENANT, {
    displayName: 'Contoso',
    verifiedDomains: ['contoso.com'],
  });
  const emails = Array.from({ length: EMPLOYEES }, (_, i) => employee(i));
  const ids = await upsertPeople(
    store.db,
    TENANT,
    emails.map((email, i) => ({
      email,
      kind: 'internal',
      displayName: `Employee ${i}`,
      aadObjectId: `aad-${i}`,
    })),
  );
  await upsertMailboxes(
    store.db,
    TENANT,
    emails.map((email, i) => ({
      userId: `aad-${i}`,
      userPrincipalName: email,
      personId: ids.get(email) ?? null,
      trackedVia: ['all'],
    })),
  );
  const next = random(7);
  for (let i = 0; i < EMPLOYEES; i++) {
    const userId = `aad-${i}`;
    await upsertCalendars(store.db, TENANT, userId, [
      { calendarId: 'calendar', name: 'Calendar', isDefault: true, selected: true },
    ]);
    // each employee works a few accounts, and meets a few colleagues
    const accounts = [0, 1, 2].map(() => Math.floor(next() * COMPANIES));
    const events: EventInput[] = [];
    for (let m = 0; m < MEETINGS_PER_EMPLOYEE; m++) {
      const start = NOW - Math.floor(next() * 180) * DAY - Math.floor(next() * 8) * 3_600_000;
      const others =
        next() < 0.25
          ? [employee(Math.floor(next() * EMPLOYEES))]
          : Array.from({ length: 1 + Math.floor(next() * 3) }, () => {
              const c = accounts[Math.floor(next() * accounts.length)]!;
              return contact(c, Math.floor(next() * CONTACTS_PER_COMPANY));
            });
      events.push(
        meeting(`bench-${i}-${m}`, {
          startAt: start,
          endAt: start + 30 * 60_000,
          attendees: [
            attendee(employee(i), 'organizer'),
            ...[...new Set(others)]
              .filter((o) => o !== employee(i))
              .map((o) => attendee(o, 'required')),
          ],
        }),
      );
    }
    await applyEventPage(store, TENANT, {
      userId,
      calendarId: 'calendar',
      upserts: events.map((event) => ({
        graphEventId: `g-${event.icalUid}`,
        response: 'organizer',
        isOrganizer: true,
        changeKey: null,
        lastModifiedAt: null,
        event,
      })),
      removedGraphEventIds: [],
      cursor: { deltaLink: `https://graph.example/delta/${userId}`, lastRoundAt: NOW },
      receivedAt: NOW,
    });
    await setMailboxState(store.db, TENANT, userId, { state: 'synced', at: NOW - 3_600_000 });
  }
  await rebuildTies(store, TENANT, { now: NOW });
}

/** A loopback Bot Framework connector: resolves each reply by the activity it answers. */
async function startConnector(): Promise<{
  url: string;
  replyTo(id: string): Promise<number>;
  /** the Adaptive Card titles the bot replied with, in order */
  titles: string[];
  close(): Promise<void>;
}> {
  const waiting = new Map<string, (at: number) => void>();
  const titles: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const reply = JSON.parse(body || '{}') as {
        attachments?: { content?: { body?: { text?: string }[] } }[];
      };
      titles.push(reply.attachments?.[0]?.content?.body?.[0]?.text ?? '(no card)');
      const replyTo = /\/v3\/conversations\/[^/]+\/activities\/([^/?]+)/.exec(req.url ?? '')?.[1];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${replyTo ?? 'none'}` }));
      const resolve = replyTo === undefined ? undefined : waiting.get(decodeURIComponent(replyTo));
      resolve?.(performance.now());
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    titles,
    replyTo: (id) => new Promise((resolve) => waiting.set(id, resolve)),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function benchBotTurn(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wp-bench-bot-'));
  const store = await openStore(`sqlite:${join(dir, 'warmpath.db')}`);
  const connector = await startConnector();
  const restify = loadRestify();
  const server = restify.createServer({
    name: 'warmpath-bench-bot',
    handleUncaughtExceptions: false,
  });
  try {
    await store.migrate();
    const seeded = performance.now();
    await seedTenant(store);
    const seedMs = performance.now() - seeded;
    const bot = createTeamsBot({
      store,
      config: { credentials: null, languageModel: null },
      now: () => NOW,
    });
    server.use(restify.plugins.bodyParser());
    server.post('/api/messages', async (req, res) => {
      await bot.handleActivity(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;

    const questions = Array.from({ length: COMPANIES }, (_, c) => [
      `who knows Company${c}?`,
      `how well do we know ${company(c)}`,
      `my contacts at ${company(c)}`,
      `who knows ${contact(c, 1)}`,
    ]).flat();
    const latencies: number[] = [];
    for (let turn = 0; turn < WARM_UP_TURNS + TIMED_TURNS; turn++) {
      const id = `activity-${turn}`;
      const caller = turn % EMPLOYEES;
      const activity = {
        type: 'message',
        id,
        channelId: 'msteams',
        serviceUrl: connector.url,
        text: questions[turn % questions.length],
        from: { id: `29:user-${caller}`, name: `Employee ${caller}`, aadObjectId: `aad-${caller}` },
        recipient: { id: '28:warmpath', name: 'WarmPath' },
        conversation: {
          id: `a:personal-${caller}`,
          conversationType: 'personal',
          tenantId: TENANT,
        },
        channelData: { tenant: { id: TENANT } },
      };
      const replied = connector.replyTo(id);
      const sent = performance.now();
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      if (response.status >= 300) throw new Error(`/api/messages answered ${response.status}`);
      await response.arrayBuffer();
      const at = await replied;
      if (turn >= WARM_UP_TURNS) latencies.push(at - sent);
    }
    latencies.sort((a, b) => a - b);
    // an honest figure needs real answers: every reply a card about the company or person asked
    const answered = connector.titles.filter((title) =>
      /^(Who knows|How well we know|Your contacts at) /.test(title),
    );
    if (answered.length !== connector.titles.length) {
      const other = connector.titles.find((title) => !answered.includes(title));
      throw new Error(
        `${connector.titles.length - answered.length} replies were not answers, e.g. "${other}"`,
      );
    }
    const round = (ms: number) => Math.round(ms * 10) / 10;
    const detail = `${TIMED_TURNS} turns after ${WARM_UP_TURNS} warm-up, one at a time; who knows / how well / my contacts / a person, 80 tracked employees, ${COMPANIES} companies, ${EMPLOYEES * MEETINGS_PER_EMPLOYEE} meetings, SQLite (seeded in ${Math.round(seedMs / 1000)} s)`;
    return [
      {
        name: 'bot turn p50 (activity in to reply sent)',
        value: round(percentile(latencies, 50)),
        unit: 'ms',
        detail,
      },
      {
        name: 'bot turn p95 (activity in to reply sent)',
        value: round(percentile(latencies, 95)),
        unit: 'ms',
        target: '<= 200',
        detail,
      },
      {
        name: 'bot turn p99 (activity in to reply sent)',
        value: round(percentile(latencies, 99)),
        unit: 'ms',
        detail,
      },
    ];
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await connector.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
