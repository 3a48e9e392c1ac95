// Accept / Decline on an intro request: record it, tell the requester, update the connector's card.
import { decideIntroRequest, IntroRequestError } from '@warmpath/shared/intros';
import { introDecidedCard, type DecideIntroData } from './cards/intro-request-cards.js';
import type { BotContext, BotReply } from './bot-context.js';
import type { TeamsCaller } from './identify-caller.js';

function isDecideIntroData(data: unknown): data is DecideIntroData {
  const d = data as Partial<DecideIntroData> | undefined;
  return typeof d?.requestId === 'string' && (d.decision === 'accept' || d.decision === 'decline');
}

export async function decideIntro(
  bot: BotContext,
  caller: TeamsCaller,
  data: unknown,
): Promise<BotReply> {
  if (!isDecideIntroData(data)) return { text: 'That button is out of date.' };
  if (caller.personId === undefined) {
    return {
      text: "I can't tell who you are in your organisation's directory, so I can't record your answer.",
    };
  }
  try {
    const { request, changed } = await decideIntroRequest(bot.store.db, {
      tenantId: caller.tenantId,
      requestId: data.requestId,
      deciderPersonId: caller.personId,
      decision: data.decision,
      now: bot.now(),
    });
    if (changed) {
      const told = await bot.notifier.introDecided(request);
      bot.logger?.info(
        { tenantId: caller.tenantId, requestId: request.id, status: request.status, told },
        'intro decided in Teams',
      );
    }
    return { card: introDecidedCard(request) };
  } catch (error) {
    if (error instanceof IntroRequestError) return { text: error.message };
    throw error;
  }
}
