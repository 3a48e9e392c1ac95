// The intro request as the connector sees it (with Accept / Decline), once decided, and the
// outcome the requester hears.
import type { IntroRequest } from '@warmpath/shared/intros';
import {
  adaptiveCard,
  executeAction,
  heading,
  paragraph,
  subtle,
  type AdaptiveCard,
} from './adaptive-card.js';

export const DECIDE_INTRO_VERB = 'decideIntro';

export interface DecideIntroData {
  requestId: string;
  decision: 'accept' | 'decline';
  [key: string]: unknown;
}

function targetText(request: IntroRequest): string {
  return request.target.kind === 'company'
    ? `${request.target.name} (${request.target.domain})`
    : `${request.target.name} (${request.target.email})`;
}

function firstName(displayName: string): string {
  return displayName.split(/\s+/)[0] || displayName;
}

/** What the connector knows about the target, shown on the request so they can decide. */
export interface ConnectorContext {
  /** e.g. "Jane Doe: strong, 14 meetings, last met 12 days ago" */
  contacts: string[];
}

/** The proactive 1:1 card to the connector. */
export function introRequestCard(request: IntroRequest, context: ConnectorContext): AdaptiveCard {
  const requester = request.requester.displayName;
  const body = [
    heading('Intro request'),
    paragraph(`**${requester}** asks you for an introduction to **${targetText(request)}**.`),
  ];
  if (request.note) body.push(paragraph(`“${request.note}”`, { isSubtle: true }));
  if (context.contacts.length > 0) {
    body.push(
      subtle('Whom you know there:'),
      ...context.contacts.map((line) => subtle(`• ${line}`, { spacing: 'None' })),
    );
  }
  body.push(
    subtle(
      `Asked ${request.createdAt.slice(0, 10)}. ${firstName(requester)} hears your answer in Teams.`,
    ),
  );
  const data = (decision: DecideIntroData['decision']): DecideIntroData => ({
    requestId: request.id,
    decision,
  });
  return adaptiveCard(body, [
    executeAction('Accept', DECIDE_INTRO_VERB, data('accept'), 'positive'),
    executeAction('Decline', DECIDE_INTRO_VERB, data('decline')),
  ]);
}

/** What replaces the request card once the connector has answered. */
export function introDecidedCard(request: IntroRequest): AdaptiveCard {
  const requester = request.requester.displayName;
  const next =
    request.status === 'accepted'
      ? `Next: introduce ${firstName(requester)} (${request.requester.email}) to ${request.target.name}, by email or in a chat.`
      : `${firstName(requester)} has been told, and can look for another path.`;
  return adaptiveCard([
    heading('Intro request'),
    paragraph(`${requester} asked you for an introduction to **${targetText(request)}**.`),
    paragraph(
      `You ${request.status} on ${(request.decidedAt ?? request.createdAt).slice(0, 10)}.`,
      {
        weight: 'Bolder',
        color: request.status === 'accepted' ? 'Good' : 'Default',
      },
    ),
    subtle(next),
  ]);
}

/** What the requester hears when the connector answers. */
export function introOutcomeCard(request: IntroRequest): AdaptiveCard {
  const connector = request.connector.displayName;
  const accepted = request.status === 'accepted';
  return adaptiveCard([
    heading(accepted ? 'Intro accepted' : 'Intro declined'),
    paragraph(
      accepted
        ? `**${connector}** accepted your request for an introduction to **${targetText(request)}**. Expect an introduction from them soon.`
        : `**${connector}** declined your request for an introduction to **${targetText(request)}**.`,
    ),
    ...(accepted
      ? []
      : [
          subtle(
            `Ask "who knows ${request.target.kind === 'company' ? request.target.domain : request.target.email}" to look for another path.`,
          ),
        ]),
  ]);
}

/** The line that replaces "Ask for an intro" on the requester's answer card. */
export function askedLine(request: IntroRequest, delivered: boolean, created: boolean): string {
  const connector = firstName(request.connector.displayName);
  const already = created ? '' : ' (already asked)';
  return delivered
    ? `✓ Asked ${connector}${already}: you'll hear their answer here.`
    : `✓ Asked ${connector}${already}: they haven't added WarmPath in Teams yet, so they'll see it in the WarmPath tab.`;
}
