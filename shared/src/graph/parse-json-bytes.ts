// JSON.parse for Graph's large answers without one large string. V8 keeps strings over 128 KiB in
// its large-object space, where each one costs a fresh mapping and page faults: decoding a
// 600 KB calendar page into one string took longer than parsing it. A top-level object is
// therefore split here at its members, and an array member (a collection's "value") at its
// elements, and each piece is decoded and parsed on its own. Anything unexpected falls back to
// one JSON.parse of the whole text, so results and errors are exactly JSON.parse's.

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

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipSpace(bytes: Uint8Array, at: number): number {
  let i = at;
  while (i < bytes.length && isSpace(bytes[i] as number)) i++;
  return i;
}

/** The index after the string whose opening quote is at `at`. */
function skipString(bytes: Buffer, at: number): number {
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
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let i = at; i < bytes.length;) {
      const byte = bytes[i] as number;
      if (byte === QUOTE) {
        i = skipString(bytes, i);
        continue;
      }
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    throw new Unsplittable();
  }
  let i = at;
  while (i < bytes.length) {
    const byte = bytes[i] as number;
    if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isSpace(byte)) break;
    i++;
  }
  if (i === at) throw new Unsplittable();
  return i;
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

function splitObject(bytes: Buffer): Record<string, unknown> {
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
      const array = parseArray(bytes, i);
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
 * member and large arrays among their members element by element.
 */
export function parseJsonBytes(bytes: Buffer): unknown {
  if (bytes.length >= SPLIT_JSON_MIN_BYTES) {
    try {
      return splitObject(bytes);
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
export function parseJsonChunks(chunks: readonly Buffer[]): unknown {
  const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  if (chunks.length === 1) return parseJsonBytes(chunks[0] as Buffer);
  if (length < SPLIT_JSON_MIN_BYTES || length > SCRATCH_MAX_BYTES) {
    return parseJsonBytes(Buffer.concat(chunks, length));
  }
  if (scratch.length < length) scratch = Buffer.allocUnsafeSlow(2 ** Math.ceil(Math.log2(length)));
  let offset = 0;
  for (const chunk of chunks) offset += chunk.copy(scratch, offset);
  // synchronous from copy to parse, and the parsed strings are copies: the buffer is free after
  return parseJsonBytes(scratch.subarray(0, length));
}
