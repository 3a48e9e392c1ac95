// What every bot handler needs, built once by createTeamsBot.
import type { IntroNotifier } from '@warmpath/shared/intros';
import type { Logger } from '@warmpath/shared/log';
import type { Store } from '@warmpath/shared/store';
import type { AdaptiveCard } from './cards/adaptive-card.js';

export interface BotContext {
  store: Pick<Store, 'db' | 'dialect'>;
  notifier: IntroNotifier;
  logger: Logger | undefined;
  now: () => number;
  localTenantId: string | undefined;
}

/** What a handler answers: a card, or a sentence. */
export type BotReply = { card: AdaptiveCard } | { text: string };
