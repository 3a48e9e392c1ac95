import { describe, expect, it } from 'vitest';
import { parseEnvFile } from './env-file.js';
import {
  placeholderNames,
  resolvePlaceholders,
  jsonStringContent,
} from './resolve-placeholders.js';

describe('parseEnvFile', () => {
  it('reads KEY=VALUE lines, skips comments and blanks, unquotes values', () => {
    expect(parseEnvFile('# note\n\nA=1\nB = "two words"\nC=\nD=\'x=y\'\n')).toEqual({
      A: '1',
      B: 'two words',
      C: '',
      D: 'x=y',
    });
  });

  it('names the line that is not KEY=VALUE', () => {
    expect(() => parseEnvFile('A=1\nnot a pair\n')).toThrow(/line 2/);
  });
});

describe('resolvePlaceholders', () => {
  it('replaces ${{VAR}} and lists names once each', () => {
    const text = 'https://${{HOST}}/tab/ ${{ ID }} ${{HOST}}';
    expect(placeholderNames(text)).toEqual(['HOST', 'ID']);
    expect(resolvePlaceholders(text, { HOST: 'h', ID: 'i' }, 'test')).toBe('https://h/tab/ i h');
  });

  it('fails naming every variable that is missing or empty', () => {
    expect(() => resolvePlaceholders('${{A}} ${{B}} ${{C}}', { A: 'a', B: '' }, 'x')).toThrow(
      'x needs B, C',
    );
  });

  it('escapes values placed inside JSON strings', () => {
    const json = resolvePlaceholders('{"n":"${{N}}"}', { N: 'say "hi"' }, 'x', jsonStringContent);
    expect(JSON.parse(json)).toEqual({ n: 'say "hi"' });
  });
});
