import { describe, expect, it } from 'vitest';
import {
  bestSimilarity,
  companyFromDisplayName,
  companyKeys,
  companyNameFromDomain,
  editDistance,
  nameTokens,
  normaliseName,
  personKeys,
  personName,
  STRIPPED_MATCH,
  wordSimilarity,
} from './company-names.js';
import { MIN_MATCH_SCORE } from './resolve-target.js';

const company = (typed: string, name: string) =>
  bestSimilarity(companyKeys(typed), companyKeys(name));
const person = (typed: string, name: string) => bestSimilarity(personKeys(typed), personKeys(name));

describe('normaliseName and nameTokens', () => {
  it('lowercases, drops accents and punctuation, and spells out "&"', () => {
    expect(normaliseName('Łódź Café & Co.')).toBe('lodz cafe and co');
    expect(normaliseName("  O'Reilly   Media ")).toBe('oreilly media');
    expect(normaliseName('Müller-Straße GmbH')).toBe('muller strasse gmbh');
  });

  it('drops joining words unless nothing else is left', () => {
    expect(nameTokens('Smith & Jones')).toEqual(['smith', 'jones']);
    expect(nameTokens('Bank of Ireland')).toEqual(['bank', 'ireland']);
    expect(nameTokens('The')).toEqual(['the']);
    expect(nameTokens(' !? ')).toEqual([]);
  });
});

describe('companyKeys and personKeys', () => {
  it('keeps the name as written and adds it without legal forms', () => {
    expect(companyKeys('ACME Corporation')).toEqual([
      { tokens: ['acme', 'corporation'], compact: 'acmecorporation', stripped: false },
      { tokens: ['acme'], compact: 'acme', stripped: true },
    ]);
    expect(companyKeys('The Acme Group Inc.')[1]).toEqual({
      tokens: ['acme'],
      compact: 'acme',
      stripped: true,
    });
    expect(companyKeys('Acme')).toEqual([{ tokens: ['acme'], compact: 'acme', stripped: false }]);
    // a name that is only a legal form keeps it
    expect(companyKeys('Group')).toEqual([
      { tokens: ['group'], compact: 'group', stripped: false },
    ]);
    expect(companyKeys('')).toEqual([]);
  });

  it('reads "Last, First" both ways', () => {
    expect(personKeys('Doe, Jane').map((key) => key.compact)).toEqual(['doejane', 'janedoe']);
    expect(personKeys('Jane Doe').map((key) => key.compact)).toEqual(['janedoe']);
  });
});

describe('company and person names from what the store holds', () => {
  it('names a company after its domain', () => {
    expect(companyNameFromDomain('acme-corp.com')).toBe('Acme Corp');
    expect(companyNameFromDomain('northwind.co.uk')).toBe('Northwind');
    expect(companyNameFromDomain('contoso.onmicrosoft.com')).toBe('Contoso');
    expect(companyNameFromDomain('blueharborlogistics.com')).toBe('Blueharborlogistics');
  });

  it('reads a company from a display-name note, but not pronouns or tags', () => {
    expect(companyFromDisplayName('Jane Doe (Acme Corp)')).toBe('Acme Corp');
    expect(companyFromDisplayName('Jane Doe [Acme]')).toBe('Acme');
    expect(companyFromDisplayName('Jane Doe | Acme')).toBe('Acme');
    for (const name of [
      'Jane Doe (she/her)',
      'Jane Doe (External)',
      'Jane Doe (Guest)',
      'Jane Doe',
    ]) {
      expect(companyFromDisplayName(name), name).toBeUndefined();
    }
    expect(companyFromDisplayName(null)).toBeUndefined();
  });

  it("takes a person's name from the display name, else from the address", () => {
    expect(personName('Jane Doe (Acme)', 'jane.doe@acme.com')).toBe('Jane Doe');
    expect(personName('"Jane Doe"', 'jane.doe@acme.com')).toBe('Jane Doe');
    expect(personName('Jane Doe | Acme', 'jane.doe@acme.com')).toBe('Jane Doe');
    expect(personName(null, 'jane.doe@acme.com')).toBe('Jane Doe');
    expect(personName('jane_doe@acme.com', 'jane_doe@acme.com')).toBe('Jane Doe');
    expect(personName('', 'jdoe42@acme.com')).toBe('Jdoe');
  });
});

describe('editDistance', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('contoso', 'contsoo')).toBe(1);
    expect(editDistance('acme', 'acmee')).toBe(1);
    expect(editDistance('jane', 'jnae')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
  });
});

describe('similarity', () => {
  it('scores the same name 1 and a typo less, but enough', () => {
    expect(company('Acme', 'Acme')).toBe(1);
    for (const [typed, name] of [
      ['acmee', 'Acme'],
      ['Contsoo', 'Contoso'],
      ['Bluehabror Logistics', 'blueharborlogistics'],
    ] as const) {
      const score = company(typed, name);
      expect(score, typed).toBeGreaterThanOrEqual(MIN_MATCH_SCORE);
      expect(score, typed).toBeLessThan(1);
    }
  });

  it('counts legal forms as a slightly weaker match', () => {
    expect(company('Acme Inc.', 'Acme')).toBeCloseTo(STRIPPED_MATCH, 5);
    expect(company('acme corp', 'Acme Corp')).toBe(1);
    expect(company('acme corp', 'Acme')).toBeLessThan(company('acme corp', 'Acme Corp'));
  });

  it('finds a domain label by its first words', () => {
    expect(company('Blue Harbor', 'blueharborlogistics')).toBeGreaterThan(0.75);
    expect(company('Blue Harbor', 'blueharborlogistics')).toBeLessThan(1);
  });

  it('keeps near misses below the bar', () => {
    expect(company('gmail', 'Hq Mail')).toBeLessThan(MIN_MATCH_SCORE);
    expect(company('Acme Health', 'Acme Logistics')).toBeLessThan(MIN_MATCH_SCORE);
    expect(person('Jane Deo', 'Deondre Gerhold-Hane')).toBeLessThan(MIN_MATCH_SCORE);
    expect(person('Jane Doe', 'Doe Logistics')).toBeLessThan(MIN_MATCH_SCORE);
  });

  it('matches people in any order and by one whole word over a word prefix', () => {
    expect(person('Doe, Jane', 'Jane Doe')).toBe(1);
    expect(person('jane doe', 'Doe, Jane')).toBe(1);
    expect(person('Jane Deo', 'Jane Doe')).toBeGreaterThan(0.8);
    expect(person('Williams', 'Jo Williams')).toBeGreaterThan(
      company('Williams', 'williamsonbank'),
    );
  });

  it('scores words by typo and prefix', () => {
    expect(wordSimilarity('smith', 'smith')).toBe(1);
    expect(wordSimilarity('smtih', 'smith')).toBeCloseTo(0.7, 5);
    expect(wordSimilarity('doher', 'doherty')).toBeGreaterThan(0.8);
    expect(wordSimilarity('do', 'doherty')).toBe(0);
    expect(wordSimilarity('doe', 'doherty')).toBe(0);
  });
});
