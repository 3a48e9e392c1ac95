// How people write company and person names, and how close two such names are: the pieces
// resolve-target.ts uses to turn "ACME Corporation", "acme-corp.com" or "Doe, Jane" into keys it
// can compare. MiniSearch finds the candidates; this file ranks them on one 0–1 scale.

/** A name ready for comparison: its words, and the words run together ("acme corp" → "acmecorp"). */
export interface NameKey {
  tokens: string[];
  compact: string;
  /** the key lost legal-form words ("Inc", "Corporation"): a match on it counts a little less */
  stripped: boolean;
}

// legal forms and the like that say nothing about which company it is
// prettier-ignore
const LEGAL_FORMS = new Set([
  'inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'cos', 'ltd', 'limited', 'llc',
  'llp', 'lp', 'plc', 'ag', 'gmbh', 'mbh', 'kg', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv',
  'oy', 'oyj', 'ab', 'asa', 'kk', 'pty', 'pte', 'pvt', 'holdings', 'group', 'international',
  'intl', 'global', 'the',
]);

// small words that join names ("Smith & Jones", "Bank of X") and would match anything
const FILLER_WORDS = new Set(['and', 'of', 'the', 'und', 'et']);

// parenthesised notes in display names that are not a company: "(External)", "(she/her)"
const NOT_A_COMPANY =
  /^(?:external|extern|guest|contractor|vendor|consultant|partner|ext|he|she|they|him|her|them|mr|ms|mrs|dr)$/;

/** Lowercase words without accents or punctuation: "Łódź Café & Co." → "lodz cafe and co". */
export function normaliseName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ł/gi, 'l')
    .replace(/ø/gi, 'o')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The words of a name, fillers dropped unless nothing else is left. */
export function nameTokens(text: string): string[] {
  const words = normaliseName(text).split(' ').filter(Boolean);
  const meaningful = words.filter((word) => !FILLER_WORDS.has(word));
  return meaningful.length > 0 ? meaningful : words;
}

function key(tokens: string[], stripped: boolean): NameKey {
  return { tokens, compact: tokens.join(''), stripped };
}

/** Keys for a company name: as written, and without trailing legal forms when it had some. */
export function companyKeys(name: string): NameKey[] {
  const tokens = nameTokens(name);
  if (tokens.length === 0) return [];
  const keys = [key(tokens, false)];
  let end = tokens.length;
  while (end > 1 && LEGAL_FORMS.has(tokens[end - 1] as string)) end--;
  const start = end > 1 && tokens[0] === 'the' ? 1 : 0;
  if (end < tokens.length || start > 0) keys.push(key(tokens.slice(start, end), true));
  return keys;
}

/** Keys for a person's name; "Doe, Jane" also as "Jane Doe", the order people type it in. */
export function personKeys(name: string): NameKey[] {
  const keys = [key(nameTokens(name), false)];
  const comma = name.indexOf(',');
  if (comma > 0) {
    const swapped = nameTokens(`${name.slice(comma + 1)} ${name.slice(0, comma)}`);
    keys.push(key(swapped, false));
  }
  return keys.filter((k) => k.tokens.length > 0);
}

/** The first label of a registrable domain: "acme-corp.com" → "acme-corp", "northwind.co.uk" → "northwind". */
export function domainLabel(domain: string): string {
  return domain.toLowerCase().split('.')[0] ?? domain;
}

function titleCase(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A readable company name from its domain: "acme-corp.com" → "Acme Corp", "3m.com" → "3m". */
export function companyNameFromDomain(domain: string): string {
  const words = domainLabel(domain)
    .split(/[-_]+/)
    .filter((word) => word !== '');
  return words.length === 0 ? domain : words.map(titleCase).join(' ');
}

/**
 * A company named in a contact's display name, as mail clients and directories often add it:
 * "Jane Doe (Acme Corp)", "Jane Doe | Acme", "Jane Doe [Acme]". Pronouns and "(External)" are not.
 */
export function companyFromDisplayName(displayName: string | null): string | undefined {
  if (!displayName) return undefined;
  const bracketed = /[([]\s*([^()[\]]+?)\s*[)\]]\s*$/.exec(displayName)?.[1];
  const piped = /\s[|–—]\s*([^|–—]+?)\s*$/.exec(displayName)?.[1];
  const hint = bracketed ?? piped;
  if (hint === undefined || hint.includes('/') || hint.includes('@')) return undefined;
  const normalised = normaliseName(hint);
  if (normalised.length < 2 || NOT_A_COMPANY.test(normalised)) return undefined;
  return hint;
}

/**
 * The person's name as people would type it: the display name without company or pronoun
 * notes, or, when there is none or it is an address, words from the email's local part.
 */
export function personName(displayName: string | null, email: string): string {
  const cleaned = (displayName ?? '')
    .replace(/\s*[([][^()[\]]*[)\]]\s*$/, '')
    .replace(/\s[|–—]\s*[^|–—]*$/, '')
    .replace(/^["']+|["']+$/g, '')
    .trim();
  if (cleaned !== '' && !cleaned.includes('@')) return cleaned;
  const local = email.slice(0, email.lastIndexOf('@'));
  const words = local.split(/[._+\-\d]+/).filter((word) => word !== '');
  return words.length === 0 ? local : words.map(titleCase).join(' ');
}

/** Optimal string alignment distance: Levenshtein plus swapping two neighbours ("Contsoo") as one edit. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const width = b.length + 1;
  // three rolling rows: the one before last is needed for transpositions
  let previous2 = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, j) => j);
  let current = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let best = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
        best = Math.min(best, (previous2[j - 2] as number) + 1);
      }
      current[j] = best;
    }
    [previous2, previous, current] = [previous, current, previous2];
  }
  return previous[b.length] as number;
}

/** Typos forgiven in a word of this length: none in very short words, one, then two from 7 letters. */
export function typoAllowance(length: number): number {
  return length <= 2 ? 0 : length <= 6 ? 1 : 2;
}

// 1 for the same text, less per typo; steeper (`perTypo`) for single words, where one typo weighs more
function typoSimilarity(a: string, b: string, perTypo: number): number {
  if (a === b) return 1;
  const allowance = typoAllowance(Math.min(a.length, b.length));
  // lengths alone can rule it out, and this runs for every candidate of every lookup
  if (Math.abs(a.length - b.length) > allowance) return 0;
  const distance = editDistance(a, b);
  if (distance > allowance) return 0;
  return Math.max(0, 1 - (perTypo * distance) / Math.max(a.length, b.length));
}

// the start of a longer word ("blueharbor" of "blueharborlogistics"): good, and better the more it covers
function prefixSimilarity(start: string, whole: string, base: number): number {
  if (start.length < 3 || !whole.startsWith(start)) return 0;
  return base + (1 - base) * (start.length / whole.length);
}

/** How well one typed word matches one word of a name, 0–1. */
export function wordSimilarity(typed: string, word: string): number {
  return Math.max(typoSimilarity(typed, word, 1.5), prefixSimilarity(typed, word, 0.5));
}

// a word matched this well is the user naming it, not a near miss
const STRONG_WORD = 0.85;

// words matched in any order; unmatched typed words hurt more than unmatched name words, and
// only near misses ("Jane Deo" ~ "Deondre Hane") count for less
function wordsSimilarity(typed: readonly string[], words: readonly string[]): number {
  const used = new Set<number>();
  let total = 0;
  let strongest = 0;
  for (const t of typed) {
    let best = 0;
    let bestIndex = -1;
    words.forEach((word, index) => {
      if (used.has(index)) return;
      const similarity = wordSimilarity(t, word);
      if (similarity > best) [best, bestIndex] = [similarity, index];
    });
    if (bestIndex >= 0) used.add(bestIndex);
    total += best;
    strongest = Math.max(strongest, best);
  }
  const coverage = 0.75 * (total / typed.length) + 0.25 * (total / words.length);
  return strongest >= STRONG_WORD ? coverage : 0.9 * coverage;
}

/** A match that needed legal forms dropped ("Acme Inc." ~ "Acme Corp") ranks below an exact one. */
export const STRIPPED_MATCH = 0.94;

/** How well typed text matches a name, 0–1: 1 is the same name, about 0.75 a typo or half the words. */
export function nameSimilarity(typed: NameKey, name: NameKey): number {
  if (typed.tokens.length === 0 || name.tokens.length === 0) return 0;
  const similarity = Math.max(
    typoSimilarity(typed.compact, name.compact, 1.25),
    // a domain label has no word breaks to match words against: "blueharbor" starts "blueharborlogistics"
    name.tokens.length === 1 ? prefixSimilarity(typed.compact, name.compact, 0.6) : 0,
    wordsSimilarity(typed.tokens, name.tokens),
  );
  return typed.stripped || name.stripped ? similarity * STRIPPED_MATCH : similarity;
}

/** The best similarity between any key of the typed text and any key of a name. */
export function bestSimilarity(typed: readonly NameKey[], names: readonly NameKey[]): number {
  let best = 0;
  for (const t of typed) for (const n of names) best = Math.max(best, nameSimilarity(t, n));
  return best;
}
