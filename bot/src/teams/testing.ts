// Test support: a small scored tenant, a recorder for proactive messages, and TestAdapter helpers.
import {
  BotAdapter,
  TestAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { rebuildTies } from '@warmpath/shared/scoring';
import { meetingSeries } from '@warmpath/shared/scoring/testing';
import {
  applyEventPage,
  setMailboxState,
  upsertMailboxes,
  upsertPeople,
  upsertTenant,
  type Store,
} from '@warmpath/shared/store';
import { eventPage, mailboxCopy, seedMailbox } from '@warmpath/shared/store/testing';
import { uniqueTenantId } from '@warmpath/shared/sync/testing';
import type { AdaptiveCard } from './cards/adaptive-card.js';

/** The instant the fixture is scored at; tests pin the bot's clock to it. */
export const NOW = Date.UTC(2026, 10, 21);

/** Meetings every `every` days over the last `span` days; colleagues are named "<Name> Contoso". */
const series = (uid: string, organizer: string, others: string[], every: number, span?: number) =>
  meetingSeries(uid, organizer, others, {
    now: NOW,
    every,
    internalSuffix: ' Contoso',
    ...(span === undefined ? {} : { span }),
  });

export interface BotTenant {
  tenantId: string;
  /** person ids by email */
  ids: Map<string, number>;
}

/** Employees (Entra object id = "aad-" + local part), with tracked and synced mailboxes. */
export const EMPLOYEES = [
  'ana@contoso.com',
  'dana@contoso.com',
  'erin@contoso.com',
  'finn@contoso.com',
];

export function aadOf(email: string): string {
  return `aad-${email.split('@')[0]}`;
}

/**
 * Dana knows Acme well (weekly with Jane, monthly with Raj); Erin met Acme once; Ana (the usual
 * caller) meets Dana weekly, so Dana's path is also a 2-hop one for Ana; Finn knows Globex
 * (globex.com) and globex.io, which makes "Globex" ambiguous; only Gus, whose mailbox is not
 * tracked, met Umbrella; nobody ever met anyone at Initech.
 */
export async function seedBotTenant(store: Store): Promise<BotTenant> {
  const tenantId = uniqueTenantId('bot');
  await upsertTenant(store.db, tenantId, {
    displayName: 'Contoso',
    verifiedDomains: ['contoso.com'],
  });
  // the meetings are stored through Dana's mailbox; who attended is what scoring reads
  await seedMailbox(store, tenantId, aadOf('dana@contoso.com'));
  const ids = await upsertPeople(
    store.db,
    tenantId,
    EMPLOYEES.map((email) => ({
      email,
      kind: 'internal',
      displayName: `${(email.split('@')[0] as string).replace(/^./, (c) => c.toUpperCase())} Contoso`,
      aadObjectId: aadOf(email),
      accountEnabled: true,
    })),
  );
  await upsertMailboxes(
    store.db,
    tenantId,
    EMPLOYEES.map((email) => ({
      userId: aadOf(email),
      userPrincipalName: email,
      personId: ids.get(email) ?? null,
      trackedVia: ['group-sales'],
    })),
  );
  for (const email of EMPLOYEES) {
    await setMailboxState(store.db, tenantId, aadOf(email), {
      state: 'synced',
      at: NOW - 3_600_000,
    });
  }
  const events = [
    ...series('dana-jane', 'dana@contoso.com', ['jane@acme.com'], 7),
    ...series('dana-raj', 'dana@contoso.com', ['raj@acme.com'], 30),
    ...series(
      'erin-acme',
      'erin@contoso.com',
      ['raj@acme.com', 'lee@acme.com', 'kim@acme.com', 'max@acme.com'],
      200,
    ),
    ...series('ana-dana', 'ana@contoso.com', ['dana@contoso.com'], 7),
    ...series('finn-globex', 'finn@contoso.com', ['olga@globex.com'], 14),
    ...series('finn-globex-io', 'finn@contoso.com', ['pia@globex.io'], 14),
    // Gus's mailbox is not tracked: Umbrella is known to the store, but to nobody tracked
    ...series('gus-umbrella', 'gus@contoso.com', ['uma@umbrella.com'], 30),
  ];
  for (let i = 0; i < events.length; i += 200) {
    const slice = events.slice(i, i + 200);
    await applyEventPage(
      store,
      tenantId,
      eventPage(
        aadOf('dana@contoso.com'),
        slice.map((e) => mailboxCopy(`g-${e.icalUid}`, e)),
      ),
    );
  }
  await rebuildTies(store, tenantId, { now: NOW });
  const all = await store.db
    .selectFrom('people')
    .select(['email', 'person_id'])
    .where('tenant_id', '=', tenantId)
    .execute();
  return { tenantId, ids: new Map(all.map((p) => [p.email, p.person_id])) };
}

/** One proactive message the bot sent, with where it went. */
export interface ProactiveMessage {
  conversationId: string | undefined;
  userAadObjectId: string | undefined;
  activity: Partial<Activity>;
}

/** Sends proactive messages nowhere but into `sent`, as the connector service would receive them. */
export class ProactiveRecorder extends BotAdapter {
  readonly sent: ProactiveMessage[] = [];
  failWith: Error | undefined;

  override async continueConversationAsync(
    _botAppIdOrClaims: unknown,
    reference: Partial<ConversationReference>,
    logicOrAudience: unknown,
    maybeLogic?: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    if (this.failWith) throw this.failWith;
    const logic = (typeof logicOrAudience === 'function' ? logicOrAudience : maybeLogic) as (
      context: TurnContext,
    ) => Promise<void>;
    const activity = TurnContext.applyConversationReference(
      { type: 'event', name: 'proactive' },
      reference,
      true,
    );
    const context = new TurnContext(this, activity);
    context.turnState.set('reference', reference);
    await logic(context);
  }

  async sendActivities(
    context: TurnContext,
    activities: Partial<Activity>[],
  ): Promise<ResourceResponse[]> {
    const reference = context.turnState.get('reference') as Partial<ConversationReference>;
    for (const activity of activities) {
      this.sent.push({
        conversationId: reference.conversation?.id,
        userAadObjectId: reference.user?.aadObjectId,
        activity,
      });
    }
    return activities.map((_, index) => ({ id: `proactive-${this.sent.length}-${index}` }));
  }

  async updateActivity(): Promise<void> {
    throw new Error('the bot never updates proactive messages');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('the bot never deletes proactive messages');
  }

  async continueConversation(): Promise<void> {
    throw new Error('use continueConversationAsync');
  }
}

/** A TestAdapter for a Teams user's 1:1 chat (or another conversation type) with the bot. */
export function teamsTestAdapter(
  run: (context: TurnContext) => Promise<void>,
  options: {
    tenantId: string;
    aadObjectId?: string | undefined;
    name?: string;
    conversationType?: 'personal' | 'groupChat' | 'channel';
    conversationId?: string;
  },
): TestAdapter {
  const user = {
    id: `29:${options.aadObjectId ?? 'anonymous'}`,
    name: options.name ?? 'Test user',
    ...(options.aadObjectId ? { aadObjectId: options.aadObjectId } : {}),
  };
  return new TestAdapter(run, {
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/teams/',
    from: user,
    recipient: { id: '28:warmpath-bot', name: 'WarmPath' },
    conversation: {
      id:
        options.conversationId ??
        `a:${options.aadObjectId ?? 'anonymous'}-${options.conversationType ?? 'personal'}`,
      conversationType: options.conversationType ?? 'personal',
      tenantId: options.tenantId,
      isGroup: (options.conversationType ?? 'personal') !== 'personal',
      name: '',
    },
  });
}

/** The Adaptive Card of a message activity, or of an Action.Execute invoke response. */
export function cardOf(activity: Partial<Activity>): AdaptiveCard {
  if (activity.type === 'invokeResponse') {
    const body = (activity.value as { body?: { type?: string; value?: unknown } }).body;
    if (body?.type !== 'application/vnd.microsoft.card.adaptive') {
      throw new Error(`expected a card in the invoke response, got ${JSON.stringify(body)}`);
    }
    return body.value as AdaptiveCard;
  }
  const attachment = activity.attachments?.[0];
  if (attachment?.contentType !== 'application/vnd.microsoft.card.adaptive') {
    throw new Error(
      `expected an Adaptive Card, got ${JSON.stringify(activity.text ?? activity.attachments)}`,
    );
  }
  return attachment.content as AdaptiveCard;
}

/** The message an Action.Execute invoke answered with instead of a card. */
export function invokeMessageOf(activity: Partial<Activity>): string {
  const body = (activity.value as { body?: { type?: string; value?: unknown } }).body;
  if (body?.type !== 'application/vnd.microsoft.activity.message') {
    throw new Error(`expected a message in the invoke response, got ${JSON.stringify(body)}`);
  }
  return body.value as string;
}

/** Every TextBlock's text in a card, in order, for assertions on what a person reads. */
export function cardTexts(card: unknown): string[] {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'TextBlock' && typeof record.text === 'string') texts.push(record.text);
      if (record.type === 'FactSet' && Array.isArray(record.facts)) {
        for (const fact of record.facts as { title: string; value: string }[])
          texts.push(`${fact.title} ${fact.value}`);
      }
      for (const [key, value] of Object.entries(record)) if (key !== 'fallback') walk(value);
    }
  };
  walk(card);
  return texts;
}

/** Every action in a card (Action.Execute, Action.Submit), in order. */
export function cardActions(
  card: unknown,
): { type: string; title: string; verb?: string; data?: Record<string, unknown> }[] {
  const actions: { type: string; title: string; verb?: string; data?: Record<string, unknown> }[] =
    [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.type === 'string' && record.type.startsWith('Action.')) {
        actions.push(record as never);
        return;
      }
      for (const value of Object.values(record)) walk(value);
    }
  };
  walk(card);
  return actions;
}

/** An Action.Execute invoke as Teams sends it when a card button is clicked. */
export function executeInvoke(
  verb: string,
  data: Record<string, unknown>,
  replyToId = 'card-1',
): Partial<Activity> {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}
