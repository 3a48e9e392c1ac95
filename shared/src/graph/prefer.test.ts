import { describe, expect, it } from 'vitest';
import { mergePreferHeader } from './prefer.js';

describe('mergePreferHeader', () => {
  it('asks for immutable ids when the caller prefers nothing', () => {
    expect(mergePreferHeader(undefined)).toBe('IdType="ImmutableId"');
  });

  it('keeps the caller preferences in the same header', () => {
    expect(
      mergePreferHeader('odata.maxpagesize=50, outlook.timezone="Pacific Standard Time"'),
    ).toBe('IdType="ImmutableId", odata.maxpagesize=50, outlook.timezone="Pacific Standard Time"');
  });

  it('replaces another IdType and drops repeats', () => {
    expect(mergePreferHeader('IdType="RestId", odata.maxpagesize=10', 'odata.maxpagesize=99')).toBe(
      'IdType="ImmutableId", odata.maxpagesize=10',
    );
  });

  it('does not split a quoted value containing a comma', () => {
    expect(mergePreferHeader('outlook.timezone="A, B"')).toBe(
      'IdType="ImmutableId", outlook.timezone="A, B"',
    );
  });
});
