// What the bot answers, as buttons; also the welcome card sent when WarmPath is installed.
import {
  adaptiveCard,
  askAction,
  heading,
  paragraph,
  subtle,
  type AdaptiveCard,
} from './adaptive-card.js';

const EXAMPLES: [string, string][] = [
  ['Who knows Acme?', 'the colleagues with the warmest path into a company'],
  ['Who knows jane@acme.com?', 'who has met one person'],
  [
    'Who can introduce me to Acme?',
    'the same, ranked for you (including through colleagues you know)',
  ],
  ['How well do we know contoso.com?', 'how strong the team’s relationship is'],
  ['My contacts at Acme', 'the people there you have met yourself'],
];

function examples() {
  return {
    type: 'FactSet',
    facts: EXAMPLES.map(([title, value]) => ({ title, value })),
  };
}

const PRIVACY =
  'WarmPath reads calendar metadata only (who met whom, and when), never subjects, bodies or places.';

export function helpCard(): AdaptiveCard {
  return adaptiveCard([
    heading('Ask me who knows whom'),
    paragraph('Ask in your own words, in a chat with me or by @mentioning me in a channel:'),
    examples(),
    subtle(
      '"Ask for an intro" on an answer sends your colleague a request; you hear their answer here.',
    ),
    subtle(PRIVACY),
  ]);
}

export function welcomeCard(displayName: string | undefined): AdaptiveCard {
  const hello = displayName ? `Welcome, ${displayName.split(/\s+/)[0]}!` : 'Welcome to WarmPath!';
  return adaptiveCard([
    heading(hello),
    paragraph(
      'I find the warmest way into a company or a person through your colleagues’ meetings, and ask for the intro for you.',
    ),
    examples(),
    subtle(PRIVACY),
  ]);
}

/** For a message the rules did not understand: what to try instead, with the text as a target. */
export function notUnderstoodCard(text: string): AdaptiveCard {
  const guess = text.replace(/[?!.]+$/, '').trim();
  return adaptiveCard(
    [
      paragraph(`I didn't understand "${guess}".`),
      paragraph('I answer questions like these:'),
      examples(),
    ],
    guess.length > 0 && guess.length <= 60
      ? [askAction(`Who knows ${guess}?`, `who knows ${guess}`)]
      : [],
  );
}
