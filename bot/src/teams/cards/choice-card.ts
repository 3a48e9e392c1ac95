// "Which Acme do you mean?": one button per candidate the text could name.
import type { IntroCandidate } from '@warmpath/shared/scoring';
import {
  adaptiveCard,
  executeAction,
  heading,
  paragraph,
  type AdaptiveCard,
} from './adaptive-card.js';
import type { AnswerIntent } from './answer-card.js';

export const PICK_TARGET_VERB = 'pickTarget';

/** What a candidate button carries back: the question, asked again with an unambiguous target. */
export interface PickTargetData {
  intent: AnswerIntent;
  /** a domain or an email, which resolves to exactly one target */
  target: string;
  [key: string]: unknown;
}

function candidateKey(candidate: IntroCandidate): string | undefined {
  return candidate.kind === 'company' ? candidate.domain : candidate.email;
}

export function choiceCard(
  intent: AnswerIntent,
  typed: string,
  candidates: readonly IntroCandidate[],
): AdaptiveCard {
  const buttons = candidates.flatMap((candidate) => {
    const key = candidateKey(candidate);
    if (key === undefined) return [];
    const data: PickTargetData = { intent, target: key };
    return [executeAction(`${candidate.name} (${key})`, PICK_TARGET_VERB, data)];
  });
  return adaptiveCard([
    heading(`Which "${typed}" do you mean?`),
    paragraph('More than one company or person matches. Pick one:'),
    { type: 'ActionSet', actions: buttons },
  ]);
}
