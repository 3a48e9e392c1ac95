import { describe, expect, it } from 'vitest';
import { brightness, paneThemeOf } from './office-theme.js';

describe('paneThemeOf', () => {
  it('reads light and dark Office themes from their body background colour', () => {
    expect(paneThemeOf({ bodyBackgroundColor: '#FFFFFF' }, false)).toBe('light');
    expect(paneThemeOf({ bodyBackgroundColor: '#E6E6E6' }, false)).toBe('light');
    expect(paneThemeOf({ bodyBackgroundColor: '#292929' }, false)).toBe('dark');
    expect(paneThemeOf({ bodyBackgroundColor: '#000' }, false)).toBe('dark');
  });

  it('falls back to light when the host gives no theme or an unreadable colour', () => {
    expect(paneThemeOf(null, false)).toBe('light');
    expect(paneThemeOf({}, false)).toBe('light');
    expect(paneThemeOf({ bodyBackgroundColor: 'darkgray' }, false)).toBe('light');
  });

  it('follows Windows high contrast whatever the Office theme says', () => {
    expect(paneThemeOf({ bodyBackgroundColor: '#FFFFFF' }, true)).toBe('contrast');
  });
});

describe('brightness', () => {
  it('weighs the channels as the eye does', () => {
    expect(brightness('#ffffff')).toBe(255);
    expect(brightness('#00ff00')).toBeGreaterThan(brightness('#0000ff')!);
    expect(brightness('nope')).toBeNull();
  });
});
