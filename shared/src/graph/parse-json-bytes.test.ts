import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  JsonItemMembers,
  parseJsonBytes,
  parseJsonChunks,
  SPLIT_JSON_MIN_BYTES,
} from './parse-json-bytes.js';

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

describe('parseJsonBytes with itemMembers', () => {
  const members = new JsonItemMembers(['id', 'attendees', 'isAllDay', 'nested', '']);

  /** What the filter must give: JSON.parse, then each value item cut to the kept members. */
  function expected(text: string): unknown {
    const whole = JSON.parse(text) as Record<string, unknown>;
    const value = (whole.value as unknown[]).map((item) =>
      typeof item === 'object' && item !== null && !Array.isArray(item)
        ? Object.fromEntries(Object.entries(item).filter(([key]) => members.names.includes(key)))
        : item,
    );
    return { ...whole, value };
  }

  it('keeps only the named members of each item, small or large, compact or pretty-printed', () => {
    const page = largePage() as { value: unknown[] };
    const small = { ...page, value: page.value.slice(0, 2) };
    for (const text of [
      JSON.stringify(page),
      JSON.stringify(page, null, 2),
      JSON.stringify(small),
      JSON.stringify({ value: [] }),
      JSON.stringify({ value: [1, 'two', null, [3], {}, { id: 'x', subject: 's' }] }),
    ]) {
      const parsed = parseJsonBytes(Buffer.from(text, 'utf8'), { itemMembers: members });
      expect(parsed).toStrictEqual(expected(text));
    }
  });

  it('never makes a string of a member it leaves out', () => {
    const page = largePage();
    const parse = vi.spyOn(JSON, 'parse');
    parseJsonBytes(Buffer.from(JSON.stringify(page), 'utf8'), { itemMembers: members });
    expect(parse.mock.calls.some(([piece]) => piece.includes('Quote'))).toBe(false);
    expect(parse.mock.calls.some(([piece]) => piece.includes('Zoë'))).toBe(false);
  });

  it('keeps a member whose name is escaped, and reads JSON it cannot split as JSON.parse does', () => {
    const text = '{"value": [{"\\u0069d": 1, "subject": "s", "id": 2}]}';
    expect(parseJsonBytes(Buffer.from(text), { itemMembers: members })).toStrictEqual({
      value: [{ id: 2 }],
    });
    for (const other of ['[{"subject": "s"}]', '{}', '"text"']) {
      expect(parseJsonBytes(Buffer.from(other), { itemMembers: members })).toStrictEqual(
        JSON.parse(other),
      );
    }
    expect(() =>
      parseJsonBytes(Buffer.from('{"value": [{"a": 1}] '), { itemMembers: members }),
    ).toThrow(SyntaxError);
  });
});
