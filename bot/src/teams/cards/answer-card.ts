// The answer to "who knows Acme?", "how well do we know Acme?" and "my contacts at Acme".
import type { IntroAnswer, IntroPath, IntroTarget } from '@warmpath/shared/scoring';
import {
  adaptiveCard,
  askAction,
  executeAction,
  heading,
  paragraph,
  subtle,
  type AdaptiveCard,
  type CardElement,
} from './adaptive-card.js';
import { ago, capitalised, coverageLine, LABEL_COLOR, plural } from './format.js';

/** Paths a card shows; the tab has the full list. */
export const MAX_PATHS_SHOWN = 5;
/** Contacts named per path. */
export const MAX_CONTACTS_NAMED = 3;

export const ASK_INTRO_VERB = 'askIntro';

export type AnswerIntent = 'who-knows' | 'how-well' | 'my-contacts';

/** What "Ask for an intro" carries back: enough to store the request without the card. */
export interface AskIntroData {
  connectorId: string;
  target:
    | { kind: 'company'; domain: string; name: string }
    | { kind: 'person'; email: string; name: string };
  [key: string]: unknown;
}

export interface AnswerCardInput {
  intent: AnswerIntent;
  /** an answer with a target (not ambiguous, not unresolved) */
  answer: IntroAnswer & { target: IntroTarget };
  now: number;
  /** whether the caller is a known directory person, who can ask for intros */
  callerKnown: boolean;
  /** connector ids the caller has just asked, with the line to show instead of the button */
  asked?: ReadonlyMap<string, string>;
}

export function targetOf(target: IntroTarget): AskIntroData['target'] {
  return target.kind === 'company'
    ? { kind: 'company', domain: target.domain, name: target.name }
    : { kind: 'person', email: target.email, name: target.name };
}

function targetLine(target: IntroTarget): string {
  return target.kind === 'company' ? target.domain : target.email;
}

function evidenceLine(path: IntroPath, now: number): string {
  const meetings = path.contacts.reduce((sum, c) => sum + c.meetings, 0);
  const oneOnOnes = path.contacts.reduce((sum, c) => sum + c.oneOnOnes, 0);
  const last = path.contacts
    .map((c) => c.lastMet)
    .filter((d): d is string => d !== null)
    .sort()
    .at(-1);
  const parts = [
    `Knows ${plural(path.contacts.length, 'contact')}`,
    `${plural(meetings, 'meeting')}${oneOnOnes > 0 ? ` (${oneOnOnes} one-on-one${oneOnOnes === 1 ? '' : 's'})` : ''}`,
  ];
  const lastMet = ago(last ?? null, now);
  if (lastMet !== null) parts.push(`last met ${lastMet}`);
  return parts.join(' · ');
}

function pathBlock(path: IntroPath, input: AnswerCardInput): CardElement {
  const name = `**${path.connector.displayName}**${path.isCaller ? ' (you)' : ''}`;
  const items: CardElement[] = [
    {
      type: 'ColumnSet',
      columns: [
        {
          type: 'Column',
          width: 'stretch',
          items: [paragraph(name), subtle(path.connector.email, { spacing: 'None' })],
        },
        {
          type: 'Column',
          width: 'auto',
          items: [
            paragraph(`${capitalised(path.label)} · ${path.strength}`, {
              color: LABEL_COLOR[path.label],
              weight: 'Bolder',
            }),
          ],
        },
      ],
    },
    subtle(evidenceLine(path, input.now)),
  ];
  const named = path.contacts.slice(0, MAX_CONTACTS_NAMED).map((c) => c.displayName || c.email);
  if (named.length > 0 && input.answer.target.kind === 'company') {
    const more = path.contacts.length - named.length;
    items.push(subtle(`Contacts: ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`));
  }
  if (path.via !== undefined) {
    items.push(
      subtle(`Through your colleague ${path.via.displayName}: you know them (${path.via.label}).`),
    );
  }
  if (!path.connector.reachable) {
    items.push(subtle('No longer in the directory or disabled.', { color: 'Attention' }));
  }
  const asked = input.asked?.get(path.connector.id);
  if (asked !== undefined) {
    items.push(paragraph(asked, { color: 'Good', weight: 'Bolder' }));
  } else if (!path.isCaller && path.connector.reachable && input.callerKnown) {
    const data: AskIntroData = {
      connectorId: path.connector.id,
      target: targetOf(input.answer.target),
    };
    items.push({
      type: 'ActionSet',
      actions: [
        executeAction(
          `Ask ${firstName(path.connector.displayName)} for an intro`,
          ASK_INTRO_VERB,
          data,
        ),
      ],
    });
  }
  return { type: 'Container', separator: true, spacing: 'Medium', items };
}

function firstName(displayName: string): string {
  return displayName.split(/\s+/)[0] || displayName;
}

function howWellSummary(answer: AnswerCardInput['answer']): CardElement {
  const best = answer.paths[0];
  if (best === undefined) return paragraph('Nobody tracked knows them yet.');
  const colleagues = answer.paths.length;
  const contacts = new Set(answer.paths.flatMap((p) => p.contacts.map((c) => c.email))).size;
  return paragraph(
    `**${capitalised(best.label)}** (${best.strength}/100 at best): ${plural(colleagues, 'colleague')} ${colleagues === 1 ? 'knows' : 'know'} ${plural(contacts, 'person', 'people')} there.`,
  );
}

/** The answer card for a resolved target. */
export function answerCard(input: AnswerCardInput): AdaptiveCard {
  const { answer, intent } = input;
  const target = answer.target;
  const title =
    intent === 'how-well'
      ? `How well we know ${target.name}`
      : intent === 'my-contacts'
        ? `Your contacts at ${target.name}`
        : `Who knows ${target.name}`;
  const body: CardElement[] = [heading(title), subtle(targetLine(target), { spacing: 'None' })];
  let paths = answer.paths;
  if (intent === 'how-well') body.push(howWellSummary(answer));
  if (intent === 'my-contacts') {
    const own = paths.find((p) => p.isCaller);
    if (own === undefined) {
      body.push(
        paragraph(
          input.callerKnown
            ? `You have not met anyone at ${target.name} yet.${paths.length > 0 ? ' These colleagues have:' : ''}`
            : `I can't tell who you are in the directory, so here is who knows ${target.name}:`,
        ),
      );
    } else {
      paths = [own, ...paths.filter((p) => p !== own)];
    }
  }
  body.push(...paths.slice(0, MAX_PATHS_SHOWN).map((path) => pathBlock(path, input)));
  if (answer.paths.length === 0 && answer.reason) body.push(paragraph(answer.reason));
  body.push(
    subtle(coverageLine(answer.coverage, input.now), { separator: true, spacing: 'Medium' }),
  );
  const actions =
    intent === 'who-knows'
      ? [
          askAction(
            `How well do we know ${target.name}?`,
            `how well do we know ${targetLine(target)}`,
          ),
        ]
      : [askAction(`Who knows ${target.name}?`, `who knows ${targetLine(target)}`)];
  return adaptiveCard(body, actions);
}
