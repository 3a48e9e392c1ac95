import { describe, expect, it } from 'vitest';
import {
  requiredWindow,
  syncWindowFor,
  windowStillServes,
  WINDOW_SLACK_DAYS,
} from './sync-window.js';

const DAY = 86_400_000;
const DEFAULTS = { lookbackMonths: 24, lookaheadMonths: 3 };

describe('the sync window', () => {
  it('runs from whole calendar months back to months ahead of today (UTC)', () => {
    const now = Date.parse('2026-11-21T12:39:40Z');
    expect(requiredWindow(now, DEFAULTS)).toEqual({
      start: Date.parse('2024-11-21T00:00:00Z'),
      end: Date.parse('2027-02-21T00:00:00Z'),
    });
  });

  it('moves the 31st to the last day of a shorter month', () => {
    const window = requiredWindow(Date.parse('2026-05-31T08:00:00Z'), {
      lookbackMonths: 3,
      lookaheadMonths: 1,
    });
    expect(new Date(window.start).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(new Date(window.end).toISOString()).toBe('2026-06-30T00:00:00.000Z');
  });

  it('asks a new round for a slack beyond the look-ahead, and keeps it for that long', () => {
    const start = Date.parse('2026-11-21T00:00:00Z');
    const stored = syncWindowFor(start, DEFAULTS);
    expect(windowStillServes(stored, start, DEFAULTS)).toBe(true);
    expect(windowStillServes(stored, start + (WINDOW_SLACK_DAYS - 2) * DAY, DEFAULTS)).toBe(true);
    expect(windowStillServes(stored, start + (WINDOW_SLACK_DAYS + 2) * DAY, DEFAULTS)).toBe(false);
  });

  it('no longer serves once the look-back or look-ahead setting changes', () => {
    const now = Date.parse('2026-11-21T00:00:00Z');
    const stored = syncWindowFor(now, DEFAULTS);
    expect(windowStillServes(stored, now, { ...DEFAULTS, lookbackMonths: 36 })).toBe(false);
    expect(windowStillServes(stored, now, { ...DEFAULTS, lookbackMonths: 12 })).toBe(false);
    expect(windowStillServes(stored, now, { ...DEFAULTS, lookaheadMonths: 6 })).toBe(false);
    expect(windowStillServes(stored, now, { ...DEFAULTS, lookaheadMonths: 1 })).toBe(false);
  });
});
