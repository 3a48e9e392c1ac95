// The look-back window a calendar's rounds cover. Graph freezes the window into the delta link,
// so the stored window is kept until it no longer covers what the settings ask for.
import type { TenantSettings } from '../store/index.js';

const DAY_MS = 86_400_000;
/** How far a stored window may lag behind today before a new full round moves it. */
export const WINDOW_SLACK_DAYS = 30;

export interface SyncWindow {
  /** epoch ms, inclusive */
  start: number;
  /** epoch ms, exclusive */
  end: number;
}

type WindowSettings = Pick<TenantSettings, 'lookbackMonths' | 'lookaheadMonths'>;

/** UTC midnight of `ms` moved by whole calendar months (the 31st becomes the month's last day). */
function addMonths(ms: number, months: number): number {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay));
}

/** What the settings require today: [today − look-back, today + look-ahead). */
export function requiredWindow(now: number, settings: WindowSettings): SyncWindow {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return {
    start: addMonths(today, -settings.lookbackMonths),
    end: addMonths(today, settings.lookaheadMonths),
  };
}

/** The window a new full round asks for: the required one, reaching a slack further ahead. */
export function syncWindowFor(now: number, settings: WindowSettings): SyncWindow {
  const required = requiredWindow(now, settings);
  return { start: required.start, end: required.end + WINDOW_SLACK_DAYS * DAY_MS };
}

/** Whether a stored window still serves: covers what is required, and has not drifted a slack. */
export function windowStillServes(
  stored: SyncWindow,
  now: number,
  settings: WindowSettings,
): boolean {
  const required = requiredWindow(now, settings);
  const slack = WINDOW_SLACK_DAYS * DAY_MS;
  return (
    stored.start <= required.start &&
    stored.end >= required.end &&
    stored.start >= required.start - slack &&
    stored.end <= required.end + slack
  );
}
