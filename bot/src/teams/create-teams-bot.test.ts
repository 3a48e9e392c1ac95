import type { Activity } from 'botbuilder';
import { beforeAll, expect, it } from 'vitest';
import { getBotConversation, getIntroRequest, listIntroRequests } from '@warmpath/shared/intros';
import { describeStore } from '@warmpath/shared/store/testing';
import { ASK_INTRO_VERB } from './cards/answer-card.js';
import { PICK_TARGET_VERB } from './cards/choice-card.js';
import { DECIDE_INTRO_VERB } from './cards/intro-request-cards.js';
import { createTeamsBot, type TeamsBot } from './create-teams-bot.js';
import {
  aadOf,
  cardActions,
  cardOf,
  cardTexts,
  executeInvoke,
  invokeMessageOf,
  NOW,
  ProactiveRecorder,
  seedBotTenant,
  teamsTestAdapter,
  type BotTenant,
} from './testing.js';

const LOCAL = { credentials: null, languageModel: null };

describeStore('the Teams bot', (ctx) => {
  let tenant: BotTenant;
  let bot: TeamsBot;
  let recorder: ProactiveRecorder;

  beforeAll(async () => {
    tenant = await seedBotTenant(ctx.store);
  });

  function startBot(): TeamsBot {
    recorder = new ProactiveRecorder();
    bot = createTeamsBot({
      store: ctx.store,
      config: LOCAL,
      now: () => NOW,
      adapter: recorder,
      typingIndicator: false,
    });
    return bot;
  }

  function chatAs(
    email: string | undefined,
    options: { conversationType?: 'personal' | 'groupChat' | 'channel'; tenantId?: string } = {},
  ) {
    return teamsTestAdapter((context) => bot.run(context), {
      tenantId: options.tenantId ?? tenant.tenantId,
      aadObjectId: email === undefined ? undefined : aadOf(email),
      name: email ?? 'Someone',
      ...(options.conversationType ? { conversationType: options.conversationType } : {}),
    });
  }

  /** Sends `activity` and collects the replies of that one turn. */
  async function turn(
    adapter: ReturnType<typeof chatAs>,
    activity: string | Partial<Activity>,
  ): Promise<Partial<Activity>[]> {
    await adapter.receiveActivity(activity);
    return adapter.activeQueue.splice(0).filter((a) => a.type !== 'typing');
  }

  it('answers "who knows Acme?" with the strongest connector first, evidence, coverage and an ask button per path', async () => {
    startBot();
    const [reply, ...rest] = await turn(chatAs('finn@contoso.com'), 'who knows Acme?');
    expect(rest).toEqual([]);
    const card = cardOf(reply!);
    expect(card.version).toBe('1.5');
    const texts = cardTexts(card);
    expect(texts[0]).toBe('Who knows Acme');
    expect(texts[1]).toBe('acme.com');
    expect(texts[2]).toBe('**Dana Contoso**');
    expect(texts).toContain('dana@contoso.com');
    expect(texts.find((t) => t.startsWith('Strong') || t.startsWith('Medium'))).toBeDefined();
    expect(
      texts.find((t) => /^Knows 2 contacts · \d+ meetings .*last met 2 days ago$/.test(t)),
    ).toBeDefined();
    expect(texts.find((t) => t.startsWith('Contacts: Jane'))).toBeDefined();
    expect(texts.at(-1)).toMatch(/^All 4 tracked mailboxes synced, last sync/);
    const asks = cardActions(card).filter((a) => a.type === 'Action.Execute');
    expect(asks.map((a) => a.title)).toEqual(['Ask Dana for an intro', 'Ask Erin for an intro']);
    expect(asks[0]?.verb).toBe(ASK_INTRO_VERB);
    expect(asks[0]?.data).toEqual({
      connectorId: String(tenant.ids.get('dana@contoso.com')),
      target: { kind: 'company', domain: 'acme.com', name: 'Acme' },
    });
  });

  it('answers "who knows jane@acme.com" about that one person, with who has met her', async () => {
    startBot();
    const [reply] = await turn(chatAs('finn@contoso.com'), 'Who knows jane@acme.com');
    const texts = cardTexts(cardOf(reply!));
    expect(texts[1]).toBe('jane@acme.com');
    expect(texts[2]).toBe('**Dana Contoso**');
    expect(texts.some((t) => t.startsWith('Contacts:'))).toBe(false);
  });

  it('answers "who can introduce me to Acme" for the caller, naming the colleague a 2-hop path goes through', async () => {
    startBot();
    const [reply] = await turn(chatAs('ana@contoso.com'), 'who can introduce me to Acme');
    const texts = cardTexts(cardOf(reply!));
    expect(texts[2]).toBe('**Dana Contoso**');
    expect(texts).toContainEqual(
      expect.stringMatching(
        /^Through your colleague Dana Contoso: you know them \((strong|medium)\)\.$/,
      ),
    );
  });

  it('answers "how well do we know acme.com" with the team-wide summary first', async () => {
    startBot();
    const [reply] = await turn(chatAs('finn@contoso.com'), 'how well do we know acme.com');
    const texts = cardTexts(cardOf(reply!));
    expect(texts[0]).toBe('How well we know Acme');
    expect(texts[2]).toMatch(
      /^\*\*(Strong|Medium)\*\* \(\d+\/100 at best\): 2 colleagues know 5 people there\.$/,
    );
  });

  it('answers "my contacts at Acme" with the caller’s own path first and no button to ask themselves', async () => {
    startBot();
    const [own] = await turn(chatAs('dana@contoso.com'), 'my contacts at Acme');
    const card = cardOf(own!);
    expect(cardTexts(card).slice(0, 3)).toEqual([
      'Your contacts at Acme',
      'acme.com',
      '**Dana Contoso** (you)',
    ]);
    expect(
      cardActions(card)
        .filter((a) => a.type === 'Action.Execute')
        .map((a) => a.title),
    ).toEqual(['Ask Erin for an intro']);
    const [none] = await turn(chatAs('finn@contoso.com'), 'my contacts at Acme');
    expect(cardTexts(cardOf(none!))[2]).toBe(
      'You have not met anyone at Acme yet. These colleagues have:',
    );
  });

  it('answers help with the questions it understands', async () => {
    startBot();
    const [reply] = await turn(chatAs('ana@contoso.com'), 'help');
    const texts = cardTexts(cardOf(reply!));
    expect(texts[0]).toBe('Ask me who knows whom');
    expect(texts).toContainEqual(expect.stringMatching(/^Who knows Acme\? /));
    expect(texts).toContainEqual(expect.stringMatching(/^My contacts at Acme /));
  });

  it('understands @mentions in a channel and in a group chat, and saves no 1:1 reference there', async () => {
    startBot();
    for (const conversationType of ['channel', 'groupChat'] as const) {
      const [reply] = await turn(chatAs('erin@contoso.com', { conversationType }), {
        type: 'message',
        text: '<at>WarmPath</at> who knows Acme?',
        entities: [
          {
            type: 'mention',
            mentioned: { id: '28:warmpath-bot', name: 'WarmPath' },
            text: '<at>WarmPath</at>',
          },
        ],
      });
      expect(cardTexts(cardOf(reply!))[0]).toBe('Who knows Acme');
    }
    expect(
      await getBotConversation(ctx.store.db, tenant.tenantId, aadOf('erin@contoso.com')),
    ).toBeUndefined();
  });

  it('asks which one is meant when the text names two companies, and answers the one picked', async () => {
    startBot();
    const chat = chatAs('ana@contoso.com');
    const [reply] = await turn(chat, 'who knows Globex?');
    const choice = cardOf(reply!);
    expect(cardTexts(choice)[0]).toBe('Which "Globex" do you mean?');
    const picks = cardActions(choice);
    expect(picks.map((a) => a.verb)).toEqual([PICK_TARGET_VERB, PICK_TARGET_VERB]);
    expect(picks.map((a) => a.data?.target).sort()).toEqual(['globex.com', 'globex.io']);
    const [picked] = await turn(
      chat,
      executeInvoke(PICK_TARGET_VERB, { intent: 'who-knows', target: 'globex.io' }),
    );
    expect(picked?.type).toBe('invokeResponse');
    const texts = cardTexts(cardOf(picked!));
    expect(texts[1]).toBe('globex.io');
    expect(texts[2]).toBe('**Finn Contoso**');
  });

  it('says why there is no answer: nobody tracked has met anyone there, with coverage', async () => {
    startBot();
    const [reply] = await turn(chatAs('ana@contoso.com'), 'who knows umbrella.com');
    const card = cardOf(reply!);
    const texts = cardTexts(card);
    expect(texts[0]).toBe('Who knows Umbrella');
    expect(texts).toContain(
      'Nobody tracked has met anyone at Umbrella (umbrella.com) yet. All 4 tracked mailboxes are synced.',
    );
    expect(texts.at(-1)).toMatch(/^All 4 tracked mailboxes synced/);
    expect(cardActions(card).some((a) => a.type === 'Action.Execute')).toBe(false);
  });

  it('says so when the text matches nobody the organisation has ever met', async () => {
    startBot();
    const [reply] = await turn(chatAs('ana@contoso.com'), 'who knows initech.com');
    expect(cardTexts(cardOf(reply!))).toEqual([
      "Nobody at initech.com appears in your organisation's meetings.",
      'All 4 tracked mailboxes synced, last sync 1 hour ago.',
    ]);
  });

  it('says what it understands, with the text as a suggested question, when the rules do not match and no model is configured', async () => {
    startBot();
    expect(bot.usesLanguageModel).toBe(false);
    const [reply] = await turn(chatAs('ana@contoso.com'), 'Acme');
    const card = cardOf(reply!);
    expect(cardTexts(card)[0]).toBe('I didn\'t understand "Acme".');
    expect(cardActions(card)).toEqual([
      {
        type: 'Action.Submit',
        title: 'Who knows Acme?',
        data: { msteams: { type: 'imBack', value: 'who knows Acme' } },
      },
    ]);
  });

  it('saves the 1:1 conversation and sends a welcome card when installed, and forgets it when removed', async () => {
    startBot();
    const chat = chatAs('erin@contoso.com');
    const [welcome, ...rest] = await turn(chat, {
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:warmpath-bot', name: 'WarmPath' }],
    });
    expect(rest).toEqual([]);
    expect(cardTexts(cardOf(welcome!))[0]).toBe('Welcome, Erin!');
    const saved = await getBotConversation<{
      conversation: { id: string };
      user: { aadObjectId: string };
    }>(ctx.store.db, tenant.tenantId, aadOf('erin@contoso.com'));
    expect(saved?.conversation.id).toBe('a:aad-erin-personal');
    expect(saved?.user.aadObjectId).toBe('aad-erin');
    // Teams also sends installationUpdate on install: one welcome is enough
    expect(
      await turn(chat, { type: 'installationUpdate', action: 'add' } as Partial<Activity>),
    ).toEqual([]);
    await turn(chat, { type: 'installationUpdate', action: 'remove' } as Partial<Activity>);
    expect(
      await getBotConversation(ctx.store.db, tenant.tenantId, aadOf('erin@contoso.com')),
    ).toBeUndefined();
  });

  it('greets everyone, not the installer, when added to a group chat, and saves no reference to it', async () => {
    startBot();
    const [welcome] = await turn(chatAs('finn@contoso.com', { conversationType: 'groupChat' }), {
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:warmpath-bot', name: 'WarmPath' }],
    });
    expect(cardTexts(cardOf(welcome!))[0]).toBe('Welcome to WarmPath!');
    const saved = await getBotConversation<{ conversation: { id: string } }>(
      ctx.store.db,
      tenant.tenantId,
      aadOf('finn@contoso.com'),
    );
    expect(saved?.conversation.id).not.toBe('a:aad-finn-groupChat');
  });

  it('stores an intro request, sends the connector a 1:1 card with Accept / Decline, and tells the requester the outcome', async () => {
    startBot();
    const dana = chatAs('dana@contoso.com');
    await turn(dana, {
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:warmpath-bot', name: 'WarmPath' }],
    });
    const ana = chatAs('ana@contoso.com');
    const [answer] = await turn(ana, 'who knows Acme?');
    const ask = cardActions(cardOf(answer!)).find((a) => a.title === 'Ask Dana for an intro');
    const [asked] = await turn(ana, executeInvoke(ask!.verb!, ask!.data!));
    expect(asked?.type).toBe('invokeResponse');
    expect(cardTexts(cardOf(asked!))).toContain("✓ Asked Dana: you'll hear their answer here.");

    const danaId = tenant.ids.get('dana@contoso.com')!;
    const anaId = tenant.ids.get('ana@contoso.com')!;
    const { sent } = await listIntroRequests(ctx.store.db, {
      tenantId: tenant.tenantId,
      personId: anaId,
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      status: 'pending',
      connector: { id: String(danaId) },
      target: { kind: 'company', domain: 'acme.com', name: 'Acme' },
    });

    expect(recorder.sent).toHaveLength(1);
    const delivered = recorder.sent[0]!;
    expect(delivered.conversationId).toBe('a:aad-dana-personal');
    const requestCard = cardOf(delivered.activity);
    const requestTexts = cardTexts(requestCard);
    expect(requestTexts).toContain(
      '**Ana Contoso** asks you for an introduction to **Acme (acme.com)**.',
    );
    expect(requestTexts).toContainEqual(
      expect.stringMatching(/^• Jane: (Strong|Medium), \d+ meetings, last met 2 days ago$/),
    );
    const [accept, decline] = cardActions(requestCard);
    expect([accept?.title, decline?.title]).toEqual(['Accept', 'Decline']);
    expect(accept?.data).toEqual({ requestId: sent[0]!.id, decision: 'accept' });

    // only the connector may answer
    const [refused] = await turn(ana, executeInvoke(DECIDE_INTRO_VERB, accept!.data!));
    expect(invokeMessageOf(refused!)).toBe(
      'Only the colleague who was asked for the intro can accept or decline it.',
    );

    const [accepted] = await turn(dana, executeInvoke(DECIDE_INTRO_VERB, accept!.data!));
    expect(cardTexts(cardOf(accepted!))).toContain('You accepted on 2026-11-21.');
    expect((await getIntroRequest(ctx.store.db, tenant.tenantId, sent[0]!.id))?.status).toBe(
      'accepted',
    );
    expect(recorder.sent).toHaveLength(2);
    const outcome = recorder.sent[1]!;
    expect(outcome.conversationId).toBe('a:aad-ana-personal');
    expect(cardTexts(cardOf(outcome.activity))[0]).toBe('Intro accepted');

    // a second click changes nothing and tells nobody again; changing the answer is refused
    const [again] = await turn(dana, executeInvoke(DECIDE_INTRO_VERB, accept!.data!));
    expect(cardTexts(cardOf(again!))).toContain('You accepted on 2026-11-21.');
    expect(recorder.sent).toHaveLength(2);
    const [flipped] = await turn(dana, executeInvoke(DECIDE_INTRO_VERB, decline!.data!));
    expect(invokeMessageOf(flipped!)).toMatch(/already accepted/);
  });

  it('keeps the request and says so when the connector has not added the bot in Teams', async () => {
    startBot();
    const finn = chatAs('finn@contoso.com');
    const [answer] = await turn(finn, 'who knows Acme?');
    const ask = cardActions(cardOf(answer!)).find((a) => a.title === 'Ask Erin for an intro');
    const [asked] = await turn(finn, executeInvoke(ask!.verb!, ask!.data!));
    expect(cardTexts(cardOf(asked!))).toContain(
      "✓ Asked Erin: they haven't added WarmPath in Teams yet, so they'll see it in the WarmPath tab.",
    );
    expect(recorder.sent).toEqual([]);
    const { received } = await listIntroRequests(ctx.store.db, {
      tenantId: tenant.tenantId,
      personId: tenant.ids.get('erin@contoso.com')!,
    });
    expect(received.map((r) => r.requester.email)).toContain('finn@contoso.com');
  });

  it('keeps the request when Teams refuses the proactive message (the connector removed the bot)', async () => {
    startBot();
    await turn(chatAs('dana@contoso.com'), {
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:warmpath-bot', name: 'WarmPath' }],
    });
    recorder.failWith = Object.assign(new Error('Forbidden'), { statusCode: 403 });
    const erin = chatAs('erin@contoso.com');
    const [answer] = await turn(erin, 'who knows jane@acme.com');
    const ask = cardActions(cardOf(answer!)).find((a) => a.title === 'Ask Dana for an intro');
    const [asked] = await turn(erin, executeInvoke(ask!.verb!, ask!.data!));
    expect(cardTexts(cardOf(asked!))).toContain(
      "✓ Asked Dana: they haven't added WarmPath in Teams yet, so they'll see it in the WarmPath tab.",
    );
    const { sent } = await listIntroRequests(ctx.store.db, {
      tenantId: tenant.tenantId,
      personId: tenant.ids.get('erin@contoso.com')!,
    });
    expect(sent.map((r) => [r.target.kind, r.status])).toEqual([['person', 'pending']]);
  });

  it('answers the Action.Submit fallback of older clients with a new message', async () => {
    startBot();
    const finn = chatAs('finn@contoso.com');
    const [reply] = await turn(finn, {
      type: 'message',
      value: { verb: PICK_TARGET_VERB, intent: 'how-well', target: 'acme.com' },
    });
    expect(reply?.type).toBe('message');
    expect(cardTexts(cardOf(reply!))[0]).toBe('How well we know Acme');
  });

  it('answers a Teams user the directory does not know, without offering to ask for intros', async () => {
    startBot();
    const stranger = chatAs(undefined);
    const [reply] = await turn(stranger, 'who knows Acme?');
    const card = cardOf(reply!);
    expect(cardTexts(card)[2]).toBe('**Dana Contoso**');
    expect(cardActions(card).some((a) => a.type === 'Action.Execute')).toBe(false);
    const [asked] = await turn(
      stranger,
      executeInvoke(ASK_INTRO_VERB, {
        connectorId: String(tenant.ids.get('dana@contoso.com')),
        target: { kind: 'company', domain: 'acme.com', name: 'Acme' },
      }),
    );
    expect(invokeMessageOf(asked!)).toMatch(/can't tell who you are/);
  });

  it('refuses a Teams tenant that has not onboarded, unless local mode answers for it', async () => {
    startBot();
    const [refused] = await turn(
      chatAs('ana@contoso.com', { tenantId: 'not-onboarded' }),
      'who knows Acme?',
    );
    expect(refused?.text).toMatch(/^WarmPath is not set up for your organisation yet/);
    bot = createTeamsBot({
      store: ctx.store,
      config: LOCAL,
      now: () => NOW,
      adapter: recorder,
      typingIndicator: false,
      localTenantId: tenant.tenantId,
    });
    const [answered] = await turn(
      chatAs('ana@contoso.com', { tenantId: 'playground-tenant' }),
      'who knows Acme?',
    );
    expect(cardTexts(cardOf(answered!))[0]).toBe('Who knows Acme');
  });
});
