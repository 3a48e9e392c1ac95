// Tells people about intro requests in their 1:1 chat with the bot (proactive messages), using the
// conversation reference saved when they installed WarmPath.
import type { BotAdapter, ConversationReference } from 'botbuilder';
import { getBotConversation, type IntroNotifier, type IntroRequest } from '@warmpath/shared/intros';
import type { Logger } from '@warmpath/shared/log';
import { introPathsFor, type PathTarget } from '@warmpath/shared/scoring';
import type { Store, StoreDb } from '@warmpath/shared/store';
import { cardAttachment, type AdaptiveCard } from './cards/adaptive-card.js';
import { ago, capitalised, plural } from './cards/format.js';
import {
  introOutcomeCard,
  introRequestCard,
  type ConnectorContext,
} from './cards/intro-request-cards.js';

export interface TeamsIntroNotifierDeps {
  store: Pick<Store, 'db' | 'dialect'> & Partial<Pick<Store, 'sqlite' | 'postgres'>>;
  /** the adapter that sends proactive messages (TeamsAdapter in production) */
  adapter: BotAdapter;
  /** the bot's Microsoft App ID; empty in local mode */
  botAppId: string;
  logger?: Logger | undefined;
  now: () => number;
}

async function aadObjectIdOf(
  db: StoreDb,
  tenantId: string,
  personId: string,
): Promise<string | undefined> {
  const id = Number(personId);
  if (!Number.isSafeInteger(id)) return undefined;
  const person = await db
    .selectFrom('people')
    .select('aad_object_id')
    .where('tenant_id', '=', tenantId)
    .where('person_id', '=', id)
    .executeTakeFirst();
  if (person?.aad_object_id) return person.aad_object_id;
  const mailbox = await db
    .selectFrom('mailboxes')
    .select('user_id')
    .where('tenant_id', '=', tenantId)
    .where('person_id', '=', id)
    .executeTakeFirst();
  return mailbox?.user_id;
}

/** The connector's own contacts at the target, as lines for the request card. */
async function connectorContext(
  deps: TeamsIntroNotifierDeps,
  request: IntroRequest,
): Promise<ConnectorContext> {
  const { db } = deps.store;
  let target: PathTarget | undefined;
  if (request.target.kind === 'company') {
    target = { kind: 'company', domain: request.target.domain, name: request.target.name };
  } else {
    const person = await db
      .selectFrom('people')
      .select('person_id')
      .where('tenant_id', '=', request.tenantId)
      .where('email', '=', request.target.email)
      .executeTakeFirst();
    if (person !== undefined)
      target = { kind: 'person', personId: person.person_id, name: request.target.name };
  }
  if (target === undefined) return { contacts: [] };
  const now = deps.now();
  const { paths } = await introPathsFor(deps.store, {
    tenantId: request.tenantId,
    target,
    callerPersonId: Number(request.connector.id),
    now,
  });
  const own = paths.find((path) => path.isCaller);
  return {
    contacts: (own?.contacts ?? []).slice(0, 3).map((contact) => {
      const last = ago(contact.lastMet, now);
      return `${contact.displayName || contact.email}: ${capitalised(contact.label)}, ${plural(contact.meetings, 'meeting')}${last ? `, last met ${last}` : ''}`;
    }),
  };
}

/** An IntroNotifier that messages the connector and the requester in Teams. */
export function createTeamsIntroNotifier(deps: TeamsIntroNotifierDeps): IntroNotifier & {
  /** sends a card to a person's saved 1:1 chat; false when they have none or Teams refused */
  sendToPerson(
    tenantId: string,
    personId: string,
    card: AdaptiveCard,
    what: string,
  ): Promise<boolean>;
} {
  async function sendToPerson(
    tenantId: string,
    personId: string,
    card: AdaptiveCard,
    what: string,
  ): Promise<boolean> {
    const { db } = deps.store;
    const aadObjectId = await aadObjectIdOf(db, tenantId, personId);
    if (aadObjectId === undefined) return false;
    const reference = await getBotConversation<Partial<ConversationReference>>(
      db,
      tenantId,
      aadObjectId,
    );
    if (reference === undefined) {
      deps.logger?.info(
        { tenantId, personId, what },
        'no Teams conversation saved for this person',
      );
      return false;
    }
    try {
      await deps.adapter.continueConversationAsync(deps.botAppId, reference, async (context) => {
        await context.sendActivity({ attachments: [cardAttachment(card)] });
      });
      return true;
    } catch (error) {
      // e.g. 403 when the person removed the bot; the request itself stands
      const status = (error as { statusCode?: number }).statusCode;
      deps.logger?.warn(
        { tenantId, personId, what, status, err: { message: (error as Error).message } },
        'could not send a proactive Teams message',
      );
      return false;
    }
  }

  return {
    sendToPerson,
    async introRequested(request) {
      const context = await connectorContext(deps, request);
      return sendToPerson(
        request.tenantId,
        request.connector.id,
        introRequestCard(request, context),
        'intro requested',
      );
    },
    async introDecided(request) {
      return sendToPerson(
        request.tenantId,
        request.requester.id,
        introOutcomeCard(request),
        'intro decided',
      );
    },
  };
}
