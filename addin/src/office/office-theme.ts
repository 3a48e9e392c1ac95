// The Office theme as a Fluent theme. Outlook gives only the theme's colours (isDarkTheme and
// themeId are not supported there), from Mailbox 1.14, and reports changes with the mailbox's
// OfficeThemeChanged event; Windows high contrast reaches the page as forced colours.

export type PaneTheme = 'light' | 'dark' | 'contrast';

/** The colours Outlook reports (Office.OfficeTheme); any may be missing on older hosts. */
export interface OfficeThemeColors {
  bodyBackgroundColor?: string;
}

/** 0–255 perceived brightness of a #RRGGBB (or #RGB) colour, or null when it is not one. */
export function brightness(color: string): number | null {
  const hex = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
  if (hex === undefined) return null;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [
    number,
    number,
    number,
  ];
  return (r * 299 + g * 587 + b * 114) / 1000;
}

export function paneThemeOf(
  theme: OfficeThemeColors | null | undefined,
  forcedColors: boolean,
): PaneTheme {
  if (forcedColors) return 'contrast';
  const background = theme?.bodyBackgroundColor;
  const level = background === undefined ? null : brightness(background);
  return level !== null && level < 128 ? 'dark' : 'light';
}

/** Office.context.officeTheme when office.js is loaded and the host has one. */
export function currentOfficeTheme(): OfficeThemeColors | null {
  try {
    return typeof Office === 'undefined' ? null : (Office.context?.officeTheme ?? null);
  } catch {
    return null;
  }
}

export function forcedColorsActive(): boolean {
  return window.matchMedia?.('(forced-colors: active)').matches === true;
}
