// The clientState secret Graph echoes on every notification: random per subscription, kept only as
// a hash, compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Graph accepts at most 128 characters (graph-facts §4). */
export const MAX_CLIENT_STATE_LENGTH = 128;
const CLIENT_STATE_BYTES = 32;
const HASH_PREFIX = 'sha256:';

/** A fresh secret: 32 random bytes as base64url (43 characters). */
export function newClientState(): string {
  return randomBytes(CLIENT_STATE_BYTES).toString('base64url');
}

/** What the store keeps instead of the secret: `sha256:<hex>`. */
export function hashClientState(clientState: string): string {
  return `${HASH_PREFIX}${digest(clientState).toString('hex')}`;
}

/** True when `received` is the secret behind `storedHash`; timing does not depend on where they differ. */
export function clientStateMatches(
  received: unknown,
  storedHash: string | null | undefined,
): boolean {
  if (typeof received !== 'string' || received.length > MAX_CLIENT_STATE_LENGTH) return false;
  if (typeof storedHash !== 'string' || !storedHash.startsWith(HASH_PREFIX)) return false;
  const expected = Buffer.from(storedHash.slice(HASH_PREFIX.length), 'hex');
  const actual = digest(received);
  // both are SHA-256 digests, so equal lengths unless the stored hash is malformed
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
