import { describe, expect, it } from 'vitest';
import { storeTargets } from './testing.js';

describe('storeTargets', () => {
  it('runs SQLite alone when no PostgreSQL URL is given outside CI', () => {
    expect(storeTargets({})).toEqual([{ label: 'sqlite', dialect: 'sqlite' }]);
  });

  it('adds PostgreSQL when TEST_DATABASE_URL is set', () => {
    expect(storeTargets({ TEST_DATABASE_URL: 'postgres://x@h/db', CI: 'true' })).toEqual([
      { label: 'sqlite', dialect: 'sqlite' },
      { label: 'postgres', dialect: 'postgres', url: 'postgres://x@h/db' },
    ]);
  });

  it('turns a missing TEST_DATABASE_URL in CI into a failing PostgreSQL target, not a skip', () => {
    const targets = storeTargets({ CI: 'true' });
    expect(targets).toHaveLength(2);
    expect(targets[1]).toMatchObject({
      label: 'postgres',
      missing: expect.stringMatching(/TEST_DATABASE_URL/),
    });
  });
});
