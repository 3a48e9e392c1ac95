// Deterministic Graph-looking identifiers. Same inputs, same ids, on every run.

/** 128-bit non-cryptographic hash (cyrb128): fast enough for a million ids at load. */
function hash128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const hashBuffer = Buffer.alloc(16);

function hashBytes(text: string): Buffer {
  const [a, b, c, d] = hash128(text);
  hashBuffer.writeUInt32BE(a, 0);
  hashBuffer.writeUInt32BE(b, 4);
  hashBuffer.writeUInt32BE(c, 8);
  hashBuffer.writeUInt32BE(d, 12);
  return hashBuffer;
}

/** URL-safe base64 (Outlook REST ids use '-' and '_'), case-sensitive like real item ids. */
export function graphId(...parts: string[]): string {
  return `AAMkA${hashBytes(parts.join('\u0000')).toString('base64url')}AAA=`;
}

/** The id of one instance (occurrence key "" for a single event) in one mailbox. */
export function instanceIdOf(
  copy: { mailbox: { user: { id: string } }; meeting: { uid: string } },
  key: string,
): string {
  return graphId(copy.mailbox.user.id, copy.meeting.uid, key);
}

/** The id of a series master in one mailbox. */
export function masterIdOf(copy: {
  mailbox: { user: { id: string } };
  meeting: { uid: string };
}): string {
  return graphId(copy.mailbox.user.id, copy.meeting.uid, '#master');
}

/** A changeKey ("EZ9r3czxY0m2jz8c45czkwAAFXcvIQ==" style: 16 bytes, standard base64). */
export function changeKeyFor(...parts: string[]): string {
  return hashBytes(parts.join('\u0000')).toString('base64');
}

export function hexHash(...parts: string[]): string {
  return hashBytes(parts.join('\u0000')).toString('hex').toUpperCase();
}

// Exchange's GlobalObjectId: a fixed class id, then the instance date (zero on the series), a
// timestamp, reserved bytes, the data size and the data.
const GLOBAL_OBJECT_ID_PREFIX = '040000008200E00074C5B7101A82E008';

/** An Exchange-style iCalUId for a meeting that has none in the tenant file. */
export function newICalUId(seed: string): string {
  return `${GLOBAL_OBJECT_ID_PREFIX}00000000${hexHash('created', seed).slice(0, 16)}0000000000000000${'10000000'}${hexHash('uid', seed)}`;
}

/**
 * The iCalUId of one occurrence: Exchange writes the occurrence's original date into bytes
 * 16–19 of the series' GlobalObjectId, so each occurrence differs and all copies agree.
 */
export function occurrenceICalUId(seriesICalUId: string, originalStartDate: string): string {
  const [year, month, day] = originalStartDate.split('-').map(Number) as [number, number, number];
  const dateHex =
    year.toString(16).padStart(4, '0') +
    month.toString(16).padStart(2, '0') +
    day.toString(16).padStart(2, '0');
  if (
    seriesICalUId.length >= 40 &&
    seriesICalUId.slice(0, 32).toUpperCase() === GLOBAL_OBJECT_ID_PREFIX
  ) {
    return `${seriesICalUId.slice(0, 32)}${dateHex.toUpperCase()}${seriesICalUId.slice(40)}`;
  }
  return `${seriesICalUId}_${dateHex.toUpperCase()}`;
}
