import { describe, expect, it } from 'vitest';
import {
  clientStateMatches,
  hashClientState,
  MAX_CLIENT_STATE_LENGTH,
  newClientState,
} from './client-state.js';

describe('clientState', () => {
  it('is 32 random bytes in base64url: 43 URL-safe characters, within Graph limit, never repeated', () => {
    const states = new Set(Array.from({ length: 50 }, () => newClientState()));
    expect(states.size).toBe(50);
    for (const state of states) {
      expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(state.length).toBeLessThanOrEqual(MAX_CLIENT_STATE_LENGTH);
    }
  });

  it('is stored as a SHA-256 hash that does not contain the secret', () => {
    const state = newClientState();
    const hash = hashClientState(state);
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(hash).not.toContain(state);
  });

  it('matches only the secret behind the hash', () => {
    const state = newClientState();
    const hash = hashClientState(state);
    expect(clientStateMatches(state, hash)).toBe(true);
    expect(clientStateMatches(newClientState(), hash)).toBe(false);
    expect(clientStateMatches(`${state} `, hash)).toBe(false);
  });

  it('refuses a missing, non-string or oversized clientState, and a missing or malformed hash', () => {
    const state = newClientState();
    const hash = hashClientState(state);
    expect(clientStateMatches(undefined, hash)).toBe(false);
    expect(clientStateMatches(null, hash)).toBe(false);
    expect(clientStateMatches(42, hash)).toBe(false);
    expect(clientStateMatches('x'.repeat(MAX_CLIENT_STATE_LENGTH + 1), hash)).toBe(false);
    expect(clientStateMatches(state, null)).toBe(false);
    expect(clientStateMatches(state, 'sha256:abcd')).toBe(false);
    expect(clientStateMatches(state, hash.replace('sha256:', 'md5:'))).toBe(false);
  });
});
