import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseJsonBytes, parseJsonChunks, SPLIT_JSON_MIN_BYTES } from './parse-json-bytes.js';

/** A calendar page big enough to be split, with the characters that trip a naive scanner. */
function largePage(): unknown {
  const value = Array.from({ length: 60 }, (_, index) => ({
    id: `AAk${index}`,
    subject: `Quote " and backslash \\ and \\" and brace } ] { [ , : in a string #${index}`,
    body: { contentType: 'html', content: `<p>Zoë Ångström 東京 😀 ${'x'.repeat(1_200)}</p>` },
    attendees: [
      { emailAddress: { address: `a${index}@contoso.com`, name: 'A \\\\' }, type: 'required' },
    ],
    isAllDay: index % 2 === 0,
    reminderMinutesBeforeStart: -15.5e1,
    recurrence: null,
    categories: [],
    nested: { deeper: [[{}], [[]], { '': 0 }] },
  }));
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(event)',
    '@odata.nextLink': 'https://graph.microsoft.com/v1.0/users/x/calendarView/delta?$skiptoken=a',
    value,
    count: 60,
    flag: true,
    nothing: null,
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('parseJsonBytes', () => {
  it('reads a large page exactly as JSON.parse does, compact or pretty-printed, piece by piece', () => {
    for (const text of [JSON.stringify(largePage()), JSON.stringify(largePage(), null, 2)]) {
      const bytes = Buffer.from(` \r\n${text}\n`, 'utf8');
      expect(bytes.length).toBeGreaterThan(SPLIT_JSON_MIN_BYTES);
      const parse = vi.spyOn(JSON, 'parse');
      const parsed = parseJsonBytes(bytes);
      // keys, the other members and each of the 60 events: no JSON.parse of the whole text
      expect(parse.mock.calls.every(([piece]) => piece.length < 10_000)).toBe(true);
      expect(parse.mock.calls.length).toBeGreaterThan(60);
      parse.mockRestore();
      expect(parsed).toStrictEqual(JSON.parse(bytes.toString('utf8')));
    }
  });

  it('reads large JSON that is not an object with members, and a "__proto__" member, as JSON.parse does', () => {
    const page = largePage() as { value: unknown[] };
    for (const text of [
      JSON.stringify(page.value),
      `"${'x'.repeat(SPLIT_JSON_MIN_BYTES)}"`,
      `{"__proto__": {"polluted": true}, "value": ${JSON.stringify(page.value)}}`,
      `{"a": 1, "a": ${JSON.stringify(page.value)}}`,
    ]) {
      const parsed = parseJsonBytes(Buffer.from(text, 'utf8'));
      expect(parsed).toStrictEqual(JSON.parse(text));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("fails on broken large JSON with JSON.parse's own SyntaxError", () => {
    const text = JSON.stringify(largePage());
    for (const broken of [
      text.slice(0, -1),
      `${text}}`,
      text.replace('"value":[', '"value":[,'),
      text.replace('"flag":true', '"flag":tru'),
      text.replace('"count":60', '"count":'),
    ]) {
      let expected: unknown;
      try {
        JSON.parse(broken);
      } catch (error) {
        expected = error;
      }
      expect(expected).toBeInstanceOf(SyntaxError);
      expect(() => parseJsonBytes(Buffer.from(broken, 'utf8'))).toThrow(
        (expected as SyntaxError).message,
      );
    }
  });
});

describe('parseJsonChunks', () => {
  it('reads a body received in pieces split inside multi-byte characters, twice in a row', () => {
    const text = JSON.stringify(largePage());
    const bytes = Buffer.from(text, 'utf8');
    const chunks: Buffer[] = [];
    // 7,001-byte pieces land inside some of the 2- to 4-byte characters
    for (let start = 0; start < bytes.length; start += 7_001) {
      chunks.push(bytes.subarray(start, start + 7_001));
    }
    expect(parseJsonChunks(chunks)).toStrictEqual(JSON.parse(text));
    const small = Buffer.from('{"value":[1,2]}', 'utf8');
    expect(parseJsonChunks([small.subarray(0, 5), small.subarray(5)])).toStrictEqual({
      value: [1, 2],
    });
    expect(parseJsonChunks(chunks)).toStrictEqual(JSON.parse(text));
  });
});
