// End to end through the real Microsoft 365 Agents Playground: the running service (npm start's
// startEmbeddedService) on a simulator tenant, synced and scored, with the bot on its
// /api/messages, and the Playground's mock Teams connector carrying every message both ways. "Who knows Fabrikam?" returns a card whose first
// path is the expected connector, and "Ask for an intro" reaches that connector's 1:1 chat.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@warmpath/shared/config';
import { getBotConversation, listIntroRequests } from '@warmpath/shared/intros';
import { findIntroPaths, refreshTies } from '@warmpath/shared/scoring';
import { findPeopleByEmail, openStore, upsertTenant, type Store } from '@warmpath/shared/store';
import { createGraphTenantDirectory, trackPrincipals } from '@warmpath/shared/sync';
import {
  fixtureTenant,
  startSyncSimulator,
  type SyncSimulator,
} from '@warmpath/shared/sync/testing';
import { pino } from 'pino';
import { startEmbeddedService, type EmbeddedService } from '../service/start-embedded-service.js';
import {
  playgroundConfigYaml,
  startAgentsPlayground,
  type PlaygroundMessage,
  type RunningPlayground,
} from './agents-playground.js';
import { ASK_INTRO_VERB } from './cards/answer-card.js';
import { createTeamsBot } from './create-teams-bot.js';
import { cardActions, cardTexts } from './testing.js';

/** The fixture's meetings sit around its own dates: score them as of a year after (as the scoring tests do). */
const NOW = Date.UTC(2027, 0, 1);

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function waitUntil<T>(read: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function cardIn(message: PlaygroundMessage): unknown {
  return message.message.attachments?.find(
    (a) => a.contentType === 'application/vnd.microsoft.card.adaptive',
  )?.content;
}

describe('the Teams bot in the Microsoft 365 Agents Playground, on a simulator tenant', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wp-playground-'));
  let sim: SyncSimulator;
  let store: Store;
  let service: EmbeddedService;
  let playground: RunningPlayground;
  let tenantId: string;
  // the Playground's current user ("me") asks; the connector is another user of its config
  const requester = { email: 'alex.wilber@contoso.com', id: 'user-id-0', aadObjectId: '' };
  const connector = { email: 'adele.vance@contoso.com', id: 'user-id-1', aadObjectId: '' };

  beforeAll(async () => {
    sim = await startSyncSimulator(fixtureTenant());
    // track everyone before the service starts; its first round then syncs them all
    const databaseUrl = `sqlite:${path.join(dir, 'warmpath.db')}`;
    const seeding = await openStore(databaseUrl);
    await seeding.migrate();
    const directory = createGraphTenantDirectory(sim.graph());
    const organization = await directory.organization();
    tenantId = organization.tenantId;
    await upsertTenant(seeding.db, tenantId, {
      displayName: organization.displayName,
      verifiedDomains: organization.verifiedDomains,
    });
    await trackPrincipals({ store: seeding, directory, tenantId, references: ['all'] });
    await seeding.close();

    const config = loadConfig({ DATABASE_URL: databaseUrl, PORT: String(await freePort()) });
    service = await startEmbeddedService({
      config,
      microsoft: sim.tenant,
      logger: pino({ level: 'silent' }),
      localDemo: false,
      say: () => undefined,
      bot: (store, id) =>
        createTeamsBot({ store, config: config.bot, localTenantId: id, now: () => NOW }),
    });
    await service.firstRound;
    store = service.store;
    await refreshTies(store, tenantId, { now: NOW });
    for (const person of await findPeopleByEmail(store.db, tenantId, [
      connector.email,
      requester.email,
    ])) {
      const who = person.email === connector.email ? connector : requester;
      who.aadObjectId = person.aadObjectId ?? '';
    }

    const configPath = path.join(dir, '.m365agentsplayground.yml');
    writeFileSync(
      configPath,
      playgroundConfigYaml({
        tenantId,
        currentUser: {
          id: requester.id,
          name: 'Alex Wilber',
          email: requester.email,
          aadObjectId: requester.aadObjectId,
        },
        users: [
          {
            id: connector.id,
            name: 'Adele Vance',
            email: connector.email,
            aadObjectId: connector.aadObjectId,
          },
        ],
      }),
    );
    playground = await startAgentsPlayground({
      botEndpoint: `${service.url}/api/messages`,
      port: await freePort(),
      configPath,
    });
  }, 90_000);

  afterAll(async () => {
    await playground?.close();
    await service?.stop();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers "who knows Fabrikam?" with the expected connector first, and the intro request reaches that connector', async () => {
    const { personalChat } = playground.config;
    const expected = await findIntroPaths(store, { tenantId, target: 'Fabrikam', now: NOW });
    const best = expected.paths[0]!;
    expect(best.connector.email).toBe(connector.email);

    // the requester adds WarmPath ("me" in the Playground): welcome card, 1:1 chat saved
    await playground.install(personalChat.id);
    const welcome = await playground.waitForBotMessage(
      (m) => m.conversationId === personalChat.id && cardTexts(cardIn(m))[0] === 'Welcome, Alex!',
    );
    expect(welcome.message.attachments).toHaveLength(1);
    // the connector adds it too; the Playground speaks only as "me", so hers is a custom activity
    const fromConnector = {
      id: connector.id,
      name: 'Adele Vance',
      aadObjectId: connector.aadObjectId,
    };
    await playground.sendCustomActivity(personalChat.id, {
      type: 'installationUpdate',
      action: 'add',
      from: fromConnector,
    });
    const saved = await waitUntil(() =>
      getBotConversation<{ user: { aadObjectId: string } }>(
        store.db,
        tenantId,
        connector.aadObjectId,
      ),
    );
    expect(saved.user.aadObjectId).toBe(connector.aadObjectId);

    const seen = playground.received.length;
    await playground.say(personalChat.id, requester.id, 'who knows Fabrikam?');
    const answer = await playground.waitForBotMessage(
      (m) =>
        m.conversationId === personalChat.id && cardTexts(cardIn(m))[0] === 'Who knows Fabrikam',
      { after: seen },
    );
    const card = cardIn(answer);
    expect(cardTexts(card)[2]).toBe(`**${best.connector.displayName}**`);
    expect(cardTexts(card)[3]).toBe(connector.email);

    const ask = cardActions(card).find(
      (a) => a.verb === ASK_INTRO_VERB && a.data?.connectorId === best.connector.id,
    );
    expect(ask?.title).toBe('Ask Adele for an intro');
    const beforeAsk = playground.received.length;
    const asked = await playground.execute(
      personalChat.id,
      requester.id,
      String(answer.message.messageId),
      ask!.verb!,
      ask!.data!,
    );
    expect(JSON.stringify(asked)).toContain("Asked Adele: you'll hear their answer here.");

    // the proactive card went through the Playground's connector to the chat saved for the connector
    const request = await playground.waitForBotMessage(
      (m) => cardTexts(cardIn(m))[0] === 'Intro request',
      {
        after: beforeAsk,
      },
    );
    expect(request.conversationId).toBe(personalChat.id);
    expect(cardTexts(cardIn(request))).toContain(
      '**Alex Wilber** asks you for an introduction to **Fabrikam (fabrikam.com)**.',
    );
    const connectorId = Number(best.connector.id);
    const { received } = await listIntroRequests(store.db, { tenantId, personId: connectorId });
    expect(received.map((r) => [r.requester.email, r.status])).toEqual([
      [requester.email, 'pending'],
    ]);

    // "me" may not answer for the connector; the connector's Accept reaches the requester
    const accept = cardActions(cardIn(request)).find((a) => a.title === 'Accept')!;
    const refused = await playground.execute(
      personalChat.id,
      requester.id,
      String(request.message.messageId),
      accept.verb!,
      accept.data!,
    );
    expect(JSON.stringify(refused)).toContain(
      'Only the colleague who was asked for the intro can accept or decline it.',
    );
    const beforeAccept = playground.received.length;
    await playground.sendCustomActivity(personalChat.id, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      from: fromConnector,
      replyToId: String(request.message.messageId),
      value: {
        action: { type: 'Action.Execute', verb: accept.verb, data: accept.data },
        trigger: 'manual',
      },
    });
    const outcome = await playground.waitForBotMessage(
      (m) => cardTexts(cardIn(m))[0] === 'Intro accepted',
      {
        after: beforeAccept,
      },
    );
    expect(cardTexts(cardIn(outcome))[1]).toBe(
      '**Adele Vance** accepted your request for an introduction to **Fabrikam (fabrikam.com)**. Expect an introduction from them soon.',
    );
    const after = await listIntroRequests(store.db, { tenantId, personId: connectorId });
    expect(after.received[0]?.status).toBe('accepted');
  }, 60_000);
});
