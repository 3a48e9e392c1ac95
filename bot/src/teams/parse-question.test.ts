import { describe, expect, it } from 'vitest';
import { parseQuestion, stripMentions } from './parse-question.js';

describe('parseQuestion', () => {
  it.each([
    ['who knows Acme?', 'Acme'],
    ['Who knows jane@acme.com', 'jane@acme.com'],
    ['who knows anyone at Acme Corp?', 'Acme Corp'],
    ['does anyone know Contoso Pharma', 'Contoso Pharma'],
    ['Has anybody met someone from Globex?', 'Globex'],
    ['who can introduce me to Acme', 'Acme'],
    ['Who could connect me with Jane Doe?', 'Jane Doe'],
    ['can anyone introduce me to initech.com?', 'initech.com'],
    ['I need an intro to Umbrella', 'Umbrella'],
    ['warm intro to "Acme"', 'Acme'],
    ['who knows Acme well?', 'Acme'],
    ['acme.com', 'acme.com'],
    ['https://www.acme.com/about', 'https://www.acme.com/about'],
    ['jane@acme.com?', 'jane@acme.com'],
  ])('reads "%s" as who knows %s', (text, target) => {
    expect(parseQuestion(text)).toEqual({ intent: 'who-knows', target });
  });

  it.each([
    ['how well do we know contoso.com', 'contoso.com'],
    ['How well does our team know Acme?', 'Acme'],
    ['how strong is our relationship with Globex', 'Globex'],
  ])('reads "%s" as how well we know %s', (text, target) => {
    expect(parseQuestion(text)).toEqual({ intent: 'how-well', target });
  });

  it.each([
    ['my contacts at Acme', 'Acme'],
    ['show me my contacts at acme.com', 'acme.com'],
    ['Who do I know at Globex?', 'Globex'],
    ['do I know anyone at Initech', 'Initech'],
  ])('reads "%s" as my contacts at %s', (text, target) => {
    expect(parseQuestion(text)).toEqual({ intent: 'my-contacts', target });
  });

  it.each(['help', 'Help!', '?', 'what can you do', 'hi', ''])('reads "%s" as help', (text) => {
    expect(parseQuestion(text)).toEqual({ intent: 'help' });
  });

  it('reads thanks as thanks and anything else as unknown, never as a lookup', () => {
    expect(parseQuestion('thanks!')).toEqual({ intent: 'thanks' });
    expect(parseQuestion('what is the weather')).toEqual({
      intent: 'unknown',
      text: 'what is the weather',
    });
    expect(parseQuestion('Acme')).toEqual({ intent: 'unknown', text: 'Acme' });
  });

  it('ignores @mentions in channels and group chats', () => {
    expect(parseQuestion('<at>WarmPath</at> who knows Acme?')).toEqual({
      intent: 'who-knows',
      target: 'Acme',
    });
    expect(parseQuestion('<at>WarmPath</at>&nbsp;help')).toEqual({ intent: 'help' });
  });
});

describe('stripMentions', () => {
  it('drops every mention and tag and collapses spaces', () => {
    expect(stripMentions('<at>WarmPath</at> <p>who knows <b>Acme</b></p> ')).toBe('who knows Acme');
  });
});
