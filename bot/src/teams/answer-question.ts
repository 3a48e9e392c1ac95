// "Who knows Acme?" and its variations: resolve the target, rank the paths, pick the card.
import { findIntroPaths, type IntroTarget } from '@warmpath/shared/scoring';
import { answerCard, type AnswerIntent } from './cards/answer-card.js';
import { choiceCard } from './cards/choice-card.js';
import { adaptiveCard, paragraph, subtle } from './cards/adaptive-card.js';
import { coverageLine } from './cards/format.js';
import type { BotContext, BotReply } from './bot-context.js';
import type { TeamsCaller } from './identify-caller.js';

export interface AnswerQuestionProps {
  caller: TeamsCaller;
  intent: AnswerIntent;
  /** the company, domain, email or name as typed, or a domain/email from a card */
  target: string;
  /** connector ids the caller has just asked, with the line to show instead of the button */
  asked?: ReadonlyMap<string, string>;
}

export async function answerQuestion(
  bot: BotContext,
  props: AnswerQuestionProps,
): Promise<BotReply> {
  const now = bot.now();
  const answer = await findIntroPaths(bot.store, {
    tenantId: props.caller.tenantId,
    target: props.target,
    callerPersonId: props.caller.personId,
    now,
  });
  if (answer.candidates !== undefined && answer.candidates.length > 0) {
    return { card: choiceCard(props.intent, props.target, answer.candidates) };
  }
  if (answer.target === null) {
    return {
      card: adaptiveCard([
        paragraph(answer.reason ?? `I found nothing called "${props.target}".`),
        subtle(coverageLine(answer.coverage, now)),
      ]),
    };
  }
  return {
    card: answerCard({
      intent: props.intent,
      answer: answer as typeof answer & { target: IntroTarget },
      now,
      callerKnown: props.caller.personId !== undefined,
      ...(props.asked ? { asked: props.asked } : {}),
    }),
  };
}
