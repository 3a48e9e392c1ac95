// The Adaptive Card 1.5 envelope and the few elements every WarmPath card uses.
import type { Attachment } from 'botbuilder';
import { CardFactory } from 'botbuilder';

/** Universal Actions (Action.Execute) need schema 1.5 in Teams. */
export const CARD_VERSION = '1.5';

export type CardElement = Record<string, unknown>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: CardElement[];
  actions?: CardElement[];
  [key: string]: unknown;
}

export function adaptiveCard(body: CardElement[], actions: CardElement[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

export function cardAttachment(card: AdaptiveCard): Attachment {
  return CardFactory.adaptiveCard(card);
}

export function heading(text: string): CardElement {
  return { type: 'TextBlock', text, size: 'Large', weight: 'Bolder', wrap: true };
}

export function paragraph(text: string, options: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...options };
}

export function subtle(text: string, options: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, isSubtle: true, size: 'Small', ...options };
}

/**
 * An Action.Execute, with an Action.Submit fallback carrying the same verb and data for clients
 * that predate Universal Actions.
 */
export function executeAction(
  title: string,
  verb: string,
  data: Record<string, unknown>,
  style?: 'positive' | 'destructive',
): CardElement {
  return {
    type: 'Action.Execute',
    title,
    verb,
    data,
    ...(style ? { style } : {}),
    fallback: {
      type: 'Action.Submit',
      title,
      data: { ...data, verb },
      ...(style ? { style } : {}),
    },
  };
}

/** A button that sends `text` as if the person typed it. */
export function askAction(title: string, text: string): CardElement {
  return { type: 'Action.Submit', title, data: { msteams: { type: 'imBack', value: text } } };
}
