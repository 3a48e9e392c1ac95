// "Ask for an intro": store the request, tell the connector in Teams, show the requester it is sent.
import { createIntroRequest, IntroRequestError } from '@warmpath/shared/intros';
import type { AskIntroData } from './cards/answer-card.js';
import { askedLine } from './cards/intro-request-cards.js';
import { answerQuestion } from './answer-question.js';
import type { BotContext, BotReply } from './bot-context.js';
import type { TeamsCaller } from './identify-caller.js';

function isAskIntroData(data: unknown): data is AskIntroData {
  const d = data as Partial<AskIntroData> | undefined;
  const t = d?.target as Record<string, unknown> | undefined;
  return (
    typeof d?.connectorId === 'string' &&
    t !== undefined &&
    ((t.kind === 'company' && typeof t.domain === 'string') ||
      (t.kind === 'person' && typeof t.email === 'string'))
  );
}

export async function askForIntro(
  bot: BotContext,
  caller: TeamsCaller,
  data: unknown,
): Promise<BotReply> {
  if (!isAskIntroData(data)) return { text: 'That button is out of date: ask the question again.' };
  if (caller.personId === undefined) {
    return {
      text: "I can't tell who you are in your organisation's directory, so I can't ask for an intro on your behalf.",
    };
  }
  const connectorPersonId = Number(data.connectorId);
  try {
    const { request, created } = await createIntroRequest(bot.store.db, {
      tenantId: caller.tenantId,
      requesterPersonId: caller.personId,
      connectorPersonId,
      target:
        data.target.kind === 'company'
          ? { kind: 'company', domain: data.target.domain, name: data.target.name }
          : { kind: 'person', email: data.target.email, name: data.target.name },
      now: bot.now(),
    });
    const delivered = created ? await bot.notifier.introRequested(request) : true;
    bot.logger?.info(
      { tenantId: caller.tenantId, requestId: request.id, created, delivered },
      'intro requested in Teams',
    );
    const key = data.target.kind === 'company' ? data.target.domain : data.target.email;
    return answerQuestion(bot, {
      caller,
      intent: 'who-knows',
      target: key,
      asked: new Map([[data.connectorId, askedLine(request, delivered, created)]]),
    });
  } catch (error) {
    if (error instanceof IntroRequestError) return { text: error.message };
    throw error;
  }
}
