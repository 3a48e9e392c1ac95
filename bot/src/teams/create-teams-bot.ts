// The WarmPath Teams bot: a teams-ai Application with deterministic routing (no language model
// unless one is configured), Adaptive Card answers, intro requests and proactive notifications.
import {
  Application,
  AdaptiveCardActionExecuteResponseType,
  TeamsAdapter,
  type TurnState,
} from '@microsoft/teams-ai';
import {
  ConfigurationServiceClientCredentialFactory,
  type BotAdapter,
  type TurnContext,
} from 'botbuilder';
import type { BotConfig } from '@warmpath/shared/config';
import type { IntroNotifier } from '@warmpath/shared/intros';
import type { Logger } from '@warmpath/shared/log';
import type { Store } from '@warmpath/shared/store';
import type { Request, Response } from 'restify';
import { answerQuestion } from './answer-question.js';
import { askForIntro } from './ask-for-intro.js';
import type { BotContext, BotReply } from './bot-context.js';
import { cardAttachment } from './cards/adaptive-card.js';
import { ASK_INTRO_VERB, type AnswerIntent } from './cards/answer-card.js';
import { PICK_TARGET_VERB, type PickTargetData } from './cards/choice-card.js';
import { helpCard, notUnderstoodCard, welcomeCard } from './cards/help-card.js';
import { DECIDE_INTRO_VERB } from './cards/intro-request-cards.js';
import { decideIntro } from './decide-intro.js';
import { identifyCaller, type TeamsCaller } from './identify-caller.js';
import {
  createQuestionInterpreter,
  type QuestionInterpreter,
} from './interpret-with-language-model.js';
import { parseQuestion, type Question } from './parse-question.js';
import {
  forgetConversation,
  isPersonalChat,
  rememberConversation,
} from './remember-conversation.js';
import { createTeamsIntroNotifier } from './teams-intro-notifier.js';

export interface TeamsBotDeps {
  store: Pick<Store, 'db' | 'dialect'>;
  /** credentials (null: local, unauthenticated) and the optional language model */
  config: BotConfig;
  logger?: Logger | undefined;
  /**
   * Local mode: the simulator's tenant answers for Teams tenants the store does not know (the
   * Agents Playground makes up its own tenant id). Leave unset against a real tenant.
   */
  localTenantId?: string | undefined;
  /** epoch ms; default Date.now (tests pin it) */
  now?: (() => number) | undefined;
  /** tests: the adapter proactive messages go through instead of the TeamsAdapter */
  adapter?: BotAdapter | undefined;
  /** default true: Teams shows "typing…" when a turn takes over a second */
  typingIndicator?: boolean | undefined;
  /** tests: a language model interpreter to use instead of the one config.languageModel builds */
  interpreter?: QuestionInterpreter | null | undefined;
}

export interface TeamsBot {
  /** POST /api/messages: Bot Framework authentication (unless local), then one turn */
  handleActivity(req: Request, res: Response): Promise<void>;
  /** tells connectors and requesters about intro requests in Teams (the REST API uses it too) */
  notifier: IntroNotifier;
  /** one turn on any adapter's context (TestAdapter in tests) */
  run(context: TurnContext): Promise<void>;
  /** whether free-form questions go to a language model */
  usesLanguageModel: boolean;
}

const ANSWER_INTENTS: ReadonlySet<Question['intent']> = new Set([
  'who-knows',
  'how-well',
  'my-contacts',
]);

export function createTeamsBot(deps: TeamsBotDeps): TeamsBot {
  const credentials = deps.config.credentials;
  // single-tenant bot (Microsoft no longer creates multi-tenant Azure Bots); none in local mode
  const settings = credentials
    ? {
        MicrosoftAppId: credentials.appId,
        MicrosoftAppPassword: credentials.appPassword,
        MicrosoftAppType: credentials.appType,
        MicrosoftAppTenantId: credentials.tenantId,
      }
    : {};
  const teamsAdapter = new TeamsAdapter(
    settings,
    new ConfigurationServiceClientCredentialFactory(settings),
  );
  const logger = deps.logger;
  teamsAdapter.onTurnError = async (context, error) => {
    logger?.error({ err: { message: error.message, stack: error.stack } }, 'Teams bot turn failed');
    await context.sendActivity(
      'Sorry, something went wrong on my side. Please try again in a moment.',
    );
  };
  const now = deps.now ?? Date.now;
  const notifier = createTeamsIntroNotifier({
    store: deps.store,
    adapter: deps.adapter ?? teamsAdapter,
    botAppId: credentials?.appId ?? '',
    logger,
    now,
  });
  const bot: BotContext = {
    store: deps.store,
    notifier,
    logger,
    now,
    localTenantId: deps.localTenantId,
  };
  const interpreter =
    deps.interpreter === undefined
      ? createQuestionInterpreter(deps.config.languageModel, logger)
      : deps.interpreter;

  const app = new Application<TurnState>({
    adapter: teamsAdapter,
    ...(credentials ? { botAppId: credentials.appId } : {}),
    removeRecipientMention: true,
    startTypingTimer: deps.typingIndicator ?? true,
    adaptiveCards: {
      actionExecuteResponseType: AdaptiveCardActionExecuteResponseType.REPLACE_FOR_INTERACTOR,
    },
  });

  const send = async (context: TurnContext, reply: BotReply): Promise<void> => {
    await context.sendActivity(
      'card' in reply ? { attachments: [cardAttachment(reply.card)] } : reply.text,
    );
  };
  const asCaller = async (
    context: TurnContext,
    handler: (caller: TeamsCaller) => Promise<BotReply>,
  ): Promise<BotReply> => {
    const lookup = await identifyCaller(deps.store.db, context.activity, {
      localTenantId: deps.localTenantId,
    });
    return lookup.ok ? handler(lookup.caller) : { text: lookup.message };
  };
  const answer = (context: TurnContext, intent: AnswerIntent, target: string) =>
    asCaller(context, (caller) => answerQuestion(bot, { caller, intent, target }));

  // remember each person's 1:1 chat the first time this process sees it, for proactive messages
  const remembered = new Set<string>();
  const welcomed = new Set<string>();
  const rememberOnce = async (context: TurnContext): Promise<void> => {
    const key = `${context.activity.conversation?.id}|${context.activity.from?.aadObjectId}`;
    if (remembered.has(key) || !isPersonalChat(context)) return;
    if (await rememberConversation(bot, context)) remembered.add(key);
  };
  const welcomeOnce = async (context: TurnContext): Promise<void> => {
    // one welcome per 1:1 chat and person, or per group chat or channel
    const person = isPersonalChat(context) ? (context.activity.from?.aadObjectId ?? '') : '';
    const key = `${context.activity.conversation?.id ?? ''}|${person}`;
    if (welcomed.has(key)) return;
    welcomed.add(key);
    const lookup = await identifyCaller(deps.store.db, context.activity, {
      localTenantId: deps.localTenantId,
    });
    // in a group chat or channel the card greets everyone, not whoever added the bot
    const name = lookup.ok && person !== '' ? lookup.caller.displayName : undefined;
    await context.sendActivity({ attachments: [cardAttachment(welcomeCard(name))] });
  };

  app.turn('beforeTurn', async (context) => {
    if (context.activity.type === 'message' || context.activity.type === 'invoke')
      await rememberOnce(context);
    return true;
  });

  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient?.id;
    const added = context.activity.membersAdded ?? [];
    if (!added.some((member) => member.id === botId)) return;
    remembered.delete(`${context.activity.conversation?.id}|${context.activity.from?.aadObjectId}`);
    await rememberOnce(context);
    await welcomeOnce(context);
  });
  app.activity('installationUpdate', async (context) => {
    const action = (context.activity as { action?: string }).action ?? '';
    if (action.startsWith('remove')) {
      await forgetConversation(bot, context);
      remembered.delete(
        `${context.activity.conversation?.id}|${context.activity.from?.aadObjectId}`,
      );
      return;
    }
    await rememberOnce(context);
    await welcomeOnce(context);
  });

  const questionOf = (context: TurnContext): Question => parseQuestion(context.activity.text ?? '');
  const intentIs =
    (...intents: Question['intent'][]) =>
    async (context: TurnContext): Promise<boolean> =>
      context.activity.type === 'message' &&
      typeof context.activity.text === 'string' &&
      intents.includes(questionOf(context).intent);

  app.message(intentIs('help'), async (context) => {
    await send(context, { card: helpCard() });
  });
  app.message(intentIs('thanks'), async (context) => {
    await context.sendActivity('You’re welcome. Ask me about any company or person, any time.');
  });
  app.message(intentIs('who-knows', 'how-well', 'my-contacts'), async (context) => {
    const question = questionOf(context);
    if (
      question.intent === 'who-knows' ||
      question.intent === 'how-well' ||
      question.intent === 'my-contacts'
    ) {
      await send(context, await answer(context, question.intent, question.target));
    }
  });

  // Universal Actions (Action.Execute): the returned card replaces the one that was clicked
  const execute = (
    verb: string,
    handler: (
      context: TurnContext,
      caller: TeamsCaller,
      data: Record<string, unknown>,
    ) => Promise<BotReply>,
  ) => {
    app.adaptiveCards.actionExecute(verb, async (context, _state, data) => {
      const reply = await asCaller(context, (caller) => handler(context, caller, data));
      return 'card' in reply ? reply.card : reply.text;
    });
    // the Action.Submit fallback of older clients: the same answer as a new message
    app.adaptiveCards.actionSubmit(verb, async (context, _state, data) => {
      await send(context, await asCaller(context, (caller) => handler(context, caller, data)));
    });
  };
  execute(ASK_INTRO_VERB, (_context, caller, data) => askForIntro(bot, caller, data));
  execute(DECIDE_INTRO_VERB, (_context, caller, data) => decideIntro(bot, caller, data));
  execute(PICK_TARGET_VERB, async (_context, caller, data) => {
    const pick = data as Partial<PickTargetData>;
    if (typeof pick.target !== 'string' || !ANSWER_INTENTS.has(pick.intent as Question['intent'])) {
      return { text: 'That button is out of date: ask the question again.' };
    }
    return answerQuestion(bot, {
      caller,
      intent: pick.intent as AnswerIntent,
      target: pick.target,
    });
  });

  // anything else: the language model when one is configured, else say what the bot understands
  app.activity('message', async (context, state) => {
    const question = questionOf(context);
    const text = question.intent === 'unknown' ? question.text : (context.activity.text ?? '');
    if (interpreter !== null && text !== '') {
      const understood = await interpreter.interpret(context, state, text);
      if (understood !== undefined) {
        await send(context, await answer(context, understood.intent, understood.target));
        return;
      }
    }
    await send(context, { card: notUnderstoodCard(text) });
  });

  app.error(async (context, error) => {
    logger?.error(
      { err: { message: error.message, stack: error.stack } },
      'Teams bot handler failed',
    );
    await context.sendActivity(
      'Sorry, something went wrong on my side. Please try again in a moment.',
    );
  });

  return {
    notifier,
    usesLanguageModel: interpreter !== null,
    async run(context) {
      await app.run(context);
    },
    async handleActivity(req, res) {
      // restify's req/res satisfy the minimal Request/Response botbuilder reads and writes
      await teamsAdapter.process(req as never, res as never, async (context) => {
        await app.run(context);
      });
    },
  };
}
