// JSON.parse for Graph's large answers without one large string. V8 keeps strings over 128 KiB in
// its large-object space, where each one costs a fresh mapping and page faults: decoding a
// 600 KB calendar page into one string took longer than parsing it. A top-level object is
// therefore split here at its members, and an array member (a collection's "value") at its
// elements, and each piece is decoded and parsed on its own. Anything unexpected falls back to
// one JSON.parse of the whole text, so results and errors are exactly JSON.parse's.
//
// A reader that needs only some members of each collection item (the sync reads ~20 of an event's
// ~40) names them (JsonItemMembers): the others are skipped in the bytes and never become strings,
// and the kept members of consecutive items are parsed together, a few dozen KB of text at a time.

/** Below this many bytes one string is cheap: decode and parse it whole. */
export const SPLIT_JSON_MIN_BYTES = 64 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** The bytes are not the plain object this splitter expects; JSON.parse of the whole decides. */
class Unsplittable extends Error {}

/**
 * The members to keep of each object in a top-level array member (a collection's "value"); the
 * others are left out of the result. Without `Unsplittable` JSON, where the whole text is parsed,
 * every member is kept: readers must ignore members they did not ask for, not rely on their absence.
 */
export class JsonItemMembers {
  /** member names as UTF-8 bytes, by byte length */
  readonly #byLength: (Uint8Array[] | undefined)[] = [];
  readonly names: readonly string[];

  constructor(names: Iterable<string>) {
    this.names = [...new Set(names)];
    for (const name of this.names) {
      const bytes = Buffer.from(name, 'utf8');
      (this.#byLength[bytes.length] ??= []).push(bytes);
    }
  }

  /** Whether the key whose text (between its quotes, no escapes) is bytes[start, end) is kept. */
  keeps(bytes: Buffer, start: number, end: number): boolean {
    const list = this.#byLength[end - start];
    if (list === undefined) return false;
    for (const name of list) {
      let i = 0;
      while (i < name.length && name[i] === bytes[start + i]) i++;
      if (i === name.length) return true;
    }
    return false;
  }
}

export interface ParseJsonOptions {
  /** of each object in a top-level array member, only these members are parsed */
  itemMembers?: JsonItemMembers | undefined;
}

/** Kept members of several items are parsed together once their text reaches this size. */
const FILTERED_BATCH_BYTES = 48 * 1024;

// the kept bytes of the items of one batch, as the text of a JSON array; synchronous use only
let filtered = Buffer.allocUnsafeSlow(FILTERED_BATCH_BYTES * 2);

function reserveFiltered(used: number, more: number): void {
  if (used + more <= filtered.length) return;
  const grown = Buffer.allocUnsafeSlow(2 ** Math.ceil(Math.log2(used + more)));
  filtered.copy(grown, 0, 0, used);
  filtered = grown;
}

function appendFiltered(used: number, bytes: Buffer, start: number, end: number): number {
  reserveFiltered(used, end - start);
  return used + bytes.copy(filtered, used, start, end);
}

function appendByte(used: number, byte: number): number {
  reserveFiltered(used, 1);
  filtered[used] = byte;
  return used + 1;
}

/** Where appendKeptMembers stopped: after the object in the source, and in `filtered`. */
let keptEnd = 0;
let keptUsed = 0;

/**
 * Appends the object at `at` with only its kept members to `filtered`, consecutive kept members
 * copied as one run; sets keptEnd (after the object in `bytes`) and keptUsed (bytes in `filtered`).
 */
function appendKeptMembers(
  bytes: Buffer,
  at: number,
  members: JsonItemMembers,
  used: number,
): void {
  let out = appendByte(used, OPEN_BRACE);
  let first = true;
  // the run of kept members not yet copied: [runStart, runEnd) of `bytes`
  let runStart = -1;
  let runEnd = -1;
  const flushRun = () => {
    if (runStart < 0) return;
    if (!first) out = appendByte(out, COMMA);
    out = appendFiltered(out, bytes, runStart, runEnd);
    first = false;
    runStart = -1;
  };
  let i = skipSpace(bytes, at + 1);
  if (bytes[i] !== CLOSE_BRACE) {
    for (;;) {
      if (bytes[i] !== QUOTE) throw new Unsplittable();
      const keyEnd = skipKey(bytes, i);
      // an escaped key cannot be matched byte for byte: keep it, JSON.parse reads it
      const keep = keyEscaped || members.keeps(bytes, i + 1, keyEnd - 1);
      let j = skipSpace(bytes, keyEnd);
      if (bytes[j] !== COLON) throw new Unsplittable();
      j = skipSpace(bytes, j + 1);
      const valueEnd = skipValue(bytes, j);
      if (keep) {
        if (runStart < 0) runStart = i;
        runEnd = valueEnd;
      } else {
        flushRun();
      }
      i = skipSpace(bytes, valueEnd);
      if (bytes[i] === CLOSE_BRACE) break;
      if (bytes[i] !== COMMA) throw new Unsplittable();
      i = skipSpace(bytes, i + 1);
    }
  }
  flushRun();
  keptEnd = i + 1;
  keptUsed = appendByte(out, CLOSE_BRACE);
}

/** parseArray with each object element cut to its kept members, elements parsed in batches. */
function parseFilteredArray(
  bytes: Buffer,
  at: number,
  members: JsonItemMembers,
): { value: unknown[]; end: number } {
  const value: unknown[] = [];
  let used = 0;
  const parseBatch = () => {
    if (used === 0) return;
    used = appendByte(used, CLOSE_BRACKET);
    const batch = JSON.parse(filtered.toString('utf8', 0, used)) as unknown[];
    for (const element of batch) value.push(element);
    used = 0;
  };
  let i = skipSpace(bytes, at + 1);
  if (bytes[i] === CLOSE_BRACKET) return { value, end: i + 1 };
  for (;;) {
    used = appendByte(used, used === 0 ? OPEN_BRACKET : COMMA);
    let end: number;
    if (bytes[i] === OPEN_BRACE) {
      appendKeptMembers(bytes, i, members, used);
      end = keptEnd;
      used = keptUsed;
    } else {
      end = skipValue(bytes, i);
      used = appendFiltered(used, bytes, i, end);
    }
    if (used >= FILTERED_BATCH_BYTES) parseBatch();
    i = skipSpace(bytes, end);
    if (bytes[i] === CLOSE_BRACKET) {
      parseBatch();
      return { value, end: i + 1 };
    }
    if (bytes[i] !== COMMA) throw new Unsplittable();
    i = skipSpace(bytes, i + 1);
  }
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipSpace(bytes: Uint8Array, at: number): number {
  let i = at;
  while (i < bytes.length && isSpace(bytes[i] as number)) i++;
  return i;
}

/** Whether the key skipKey last read holds an escape. */
let keyEscaped = false;

/** skipString for a member name (short): one loop, noting in keyEscaped whether it has escapes. */
function skipKey(bytes: Buffer, at: number): number {
  keyEscaped = false;
  const length = bytes.length;
  for (let i = at + 1; i < length; i++) {
    const byte = bytes[i];
    if (byte === QUOTE) return i + 1;
    if (byte === BACKSLASH) {
      keyEscaped = true;
      i++;
    }
  }
  throw new Unsplittable();
}

/** The index after the string whose opening quote is at `at`. */
function skipString(bytes: Buffer, at: number): number {
  // short strings (keys, ids, enums) end sooner than a native search starts
  const shortEnd = Math.min(bytes.length, at + 48);
  for (let i = at + 1; i < shortEnd; i++) {
    const byte = bytes[i];
    if (byte === QUOTE) return i + 1;
    if (byte === BACKSLASH) break;
  }
  let close = bytes.indexOf(QUOTE, at + 1);
  for (;;) {
    if (close < 0) throw new Unsplittable();
    let backslashes = 0;
    while (bytes[close - 1 - backslashes] === BACKSLASH) backslashes++;
    // an odd run of backslashes escapes the quote
    if (backslashes % 2 === 0) return close + 1;
    close = bytes.indexOf(QUOTE, close + 1);
  }
}

/** The index after the value that starts at `at` (a string, container, number or literal). */
function skipValue(bytes: Buffer, at: number): number {
  const first = bytes[at];
  if (first === QUOTE) return skipString(bytes, at);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) return skipContainer(bytes, at);
  let i = at;
  while (i < bytes.length) {
    const byte = bytes[i] as number;
    if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isSpace(byte)) break;
    i++;
  }
  if (i === at) throw new Unsplittable();
  return i;
}

/**
 * The index after the object or array at `at`: one loop over its bytes, strings inside it skipped
 * in the same loop (most of a container is short strings, where a call per string costs more).
 */
function skipContainer(bytes: Buffer, at: number): number {
  const length = bytes.length;
  let depth = 0;
  let i = at;
  while (i < length) {
    const byte = bytes[i++] as number;
    if (byte === QUOTE) {
      for (;;) {
        if (i >= length) throw new Unsplittable();
        const inside = bytes[i++] as number;
        if (inside === QUOTE) break;
        // the escaped character is never the closing quote
        if (inside === BACKSLASH) i++;
      }
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth++;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      if (--depth === 0) return i;
    }
  }
  throw new Unsplittable();
}

function parsePiece(bytes: Buffer, start: number, end: number): unknown {
  return JSON.parse(bytes.toString('utf8', start, end));
}

/** An array's elements parsed one by one; `at` is its opening bracket. */
function parseArray(bytes: Buffer, at: number): { value: unknown[]; end: number } {
  const value: unknown[] = [];
  let i = skipSpace(bytes, at + 1);
  if (bytes[i] === CLOSE_BRACKET) return { value, end: i + 1 };
  for (;;) {
    const end = skipValue(bytes, i);
    value.push(parsePiece(bytes, i, end));
    i = skipSpace(bytes, end);
    if (bytes[i] === CLOSE_BRACKET) return { value, end: i + 1 };
    if (bytes[i] !== COMMA) throw new Unsplittable();
    i = skipSpace(bytes, i + 1);
  }
}

function splitObject(bytes: Buffer, members: JsonItemMembers | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  let i = skipSpace(bytes, 0);
  if (bytes[i] !== OPEN_BRACE) throw new Unsplittable();
  i = skipSpace(bytes, i + 1);
  if (bytes[i] === CLOSE_BRACE) throw new Unsplittable();
  for (;;) {
    if (bytes[i] !== QUOTE) throw new Unsplittable();
    const keyEnd = skipString(bytes, i);
    const key = parsePiece(bytes, i, keyEnd) as string;
    // JSON.parse makes "__proto__" an own property; plain assignment would set the prototype
    if (key === '__proto__') throw new Unsplittable();
    i = skipSpace(bytes, keyEnd);
    if (bytes[i] !== COLON) throw new Unsplittable();
    i = skipSpace(bytes, i + 1);
    if (bytes[i] === OPEN_BRACKET) {
      const array =
        members === undefined ? parseArray(bytes, i) : parseFilteredArray(bytes, i, members);
      result[key] = array.value;
      i = array.end;
    } else {
      const end = skipValue(bytes, i);
      result[key] = parsePiece(bytes, i, end);
      i = end;
    }
    i = skipSpace(bytes, i);
    if (bytes[i] === CLOSE_BRACE) break;
    if (bytes[i] !== COMMA) throw new Unsplittable();
    i = skipSpace(bytes, i + 1);
  }
  if (skipSpace(bytes, i + 1) !== bytes.length) throw new Unsplittable();
  return result;
}

/**
 * JSON.parse of UTF-8 bytes, same result and same errors; large objects are parsed member by
 * member and large arrays among their members element by element. With `itemMembers`, objects of
 * any size are split so, and their array members' objects keep only those members.
 */
export function parseJsonBytes(bytes: Buffer, options: ParseJsonOptions = {}): unknown {
  const members = options.itemMembers;
  if (bytes.length >= SPLIT_JSON_MIN_BYTES || members !== undefined) {
    try {
      return splitObject(bytes, members);
    } catch (error) {
      if (!(error instanceof Unsplittable) && !(error instanceof SyntaxError)) throw error;
    }
  }
  return JSON.parse(bytes.toString('utf8'));
}

// one buffer reused for every large body: a fresh 600 KB one costs its page faults each time
let scratch = Buffer.alloc(0);
/** Larger bodies get a buffer of their own rather than keeping that much memory for good. */
const SCRATCH_MAX_BYTES = 4 * 1024 * 1024;

/** parseJsonBytes of the concatenation of `chunks`, without allocating a large buffer each time. */
export function parseJsonChunks(
  chunks: readonly Buffer[],
  options: ParseJsonOptions = {},
): unknown {
  const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  if (chunks.length === 1) return parseJsonBytes(chunks[0] as Buffer, options);
  if (length < SPLIT_JSON_MIN_BYTES || length > SCRATCH_MAX_BYTES) {
    return parseJsonBytes(Buffer.concat(chunks, length), options);
  }
  if (scratch.length < length) scratch = Buffer.allocUnsafeSlow(2 ** Math.ceil(Math.log2(length)));
  let offset = 0;
  for (const chunk of chunks) offset += chunk.copy(scratch, offset);
  // synchronous from copy to parse, and the parsed strings are copies: the buffer is free after
  return parseJsonBytes(scratch.subarray(0, length), options);
}
