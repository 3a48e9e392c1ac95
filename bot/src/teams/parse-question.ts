// What a chat message asks, by rules alone: no language model, the same answer every time.

/** What the person wants; `target` is the company, domain, email or name as they typed it. */
export type Question =
  | { intent: 'who-knows'; target: string }
  | { intent: 'how-well'; target: string }
  | { intent: 'my-contacts'; target: string }
  | { intent: 'help' }
  | { intent: 'thanks' }
  | { intent: 'unknown'; text: string };

/** Longest target text worth resolving; anything longer is not a name. */
export const MAX_TARGET_LENGTH = 200;

/**
 * Removes @mentions (the bot's and anyone else's) and HTML Teams may add, so "@WarmPath who
 * knows Acme?" in a channel reads as "who knows Acme?".
 */
export function stripMentions(text: string): string {
  return text
    .replace(/<at[^>]*>[\s\S]*?<\/at>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

// "anyone at", "someone from", "people in": filler between the verb and the target
const FILLER = String.raw`(?:(?:any|some)(?:one|body)|people|folks|anybody|somebody|(?:a |the )?(?:person|contact|contacts|people)?)`;
const AT = String.raw`(?:at|from|in|with|over at|inside)`;

const HELP =
  /^(?:\?+$|(?:help|commands|what can (?:you|i) (?:do|ask)|how does (?:this|it) work|hi|hello|hey|menu)\b)/i;
const THANKS = /^(?:thanks|thank you|thx|ty|cheers|great|ok|okay|cool|nice)\b/i;

const PATTERNS: [Exclude<Question['intent'], 'help' | 'thanks' | 'unknown'>, RegExp][] = [
  [
    'my-contacts',
    new RegExp(
      String.raw`^(?:(?:show|list|give|tell)(?: me)? |what are |who are )?my (?:own )?(?:contacts|connections|relationships|people) ${AT} (.+)$`,
      'i',
    ),
  ],
  ['my-contacts', new RegExp(String.raw`^(?:who|whom) do i know ${AT} (.+)$`, 'i')],
  ['my-contacts', new RegExp(String.raw`^do i know (?:any(?:one|body) ${AT} )?(.+)$`, 'i')],
  [
    'how-well',
    /^how (?:well|strongly|closely|much) (?:do|does) (?:we|i|you|our (?:team|company|org(?:anisation|anization)?)|us|the team) know (.+)$/i,
  ],
  [
    'how-well',
    /^how (?:strong|warm|good|close) (?:is|are) (?:our|my|the) (?:relationships?|ties?|connections?) (?:with|to) (.+)$/i,
  ],
  [
    'who-knows',
    new RegExp(
      String.raw`^(?:who|whom) (?:can|could|would|will) (?:introduce|intro|connect|refer) (?:me|us) (?:to|with) (.+)$`,
      'i',
    ),
  ],
  [
    'who-knows',
    new RegExp(
      String.raw`^(?:can|could) (?:any(?:one|body)|some(?:one|body)) (?:introduce|intro|connect) (?:me|us) (?:to|with) (.+)$`,
      'i',
    ),
  ],
  [
    'who-knows',
    new RegExp(
      String.raw`^(?:i need |i want |i'd like |looking for |find (?:me )?|get (?:me )?)?(?:an? )?(?:warm )?(?:intro(?:duction)?|path|way in) (?:to|into|at|with) (.+)$`,
      'i',
    ),
  ],
  ['who-knows', /^introduce me to (.+)$/i],
  [
    'who-knows',
    new RegExp(
      String.raw`^(?:who|whom|does any(?:one|body)|do we|has any(?:one|body)|is any(?:one|body)|who here|who else|who's|who is)(?: here| else)? (?:knows?|know|has met|have met|met|is (?:close|connected) to|has a (?:relationship|connection|contact) (?:with|at)|(?:close|connected) to|have (?:a )?contacts? ${AT}) (?:${FILLER} ${AT} )?(.+)$`,
      'i',
    ),
  ],
];

/** Cleans a target: no trailing punctuation or quotes, no "well" tail, and not empty. */
function cleanTarget(raw: string): string {
  return raw
    .replace(/\s+(?:well|personally|best|at all|here|please|pls)\s*[?.!]*$/i, '')
    .replace(/[?!.,;:]+$/, '')
    .replace(/^["'“‘]+|["'”’]+$/g, '')
    .trim()
    .slice(0, MAX_TARGET_LENGTH);
}

const BARE_TARGET =
  /^(?:https?:\/\/)?(?:www\.)?[a-z0-9.-]+\.[a-z]{2,}(?:\/\S*)?$|^[^\s@]+@[^\s@]+\.[^\s@]+$/i;

/** Reads a message (mentions already stripped or not) as one of the questions the bot answers. */
export function parseQuestion(text: string): Question {
  const cleaned = stripMentions(text);
  if (cleaned === '' || HELP.test(cleaned)) return { intent: 'help' };
  if (THANKS.test(cleaned) && cleaned.split(' ').length <= 4) return { intent: 'thanks' };
  for (const [intent, pattern] of PATTERNS) {
    const match = pattern.exec(cleaned);
    const target = match?.[1] === undefined ? '' : cleanTarget(match[1]);
    if (target !== '') return { intent, target };
  }
  // a domain, URL or email on its own is a question about who knows it
  const bare = cleanTarget(cleaned);
  if (BARE_TARGET.test(bare)) return { intent: 'who-knows', target: bare };
  return { intent: 'unknown', text: cleaned.slice(0, MAX_TARGET_LENGTH) };
}
