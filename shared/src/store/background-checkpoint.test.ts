import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INLINE_CHECKPOINT_PAGES, WRITER_CHECKPOINT_PAGES } from './background-checkpoint.js';
import { openStore, type Store } from './open-store.js';

const MB = 2 ** 20;

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

/** Commits about `mb` MB of rows to a scratch table, in one transaction. */
function writeMegabytes(store: Store, mb: number): void {
  const sqlite = store.sqlite!;
  sqlite.exec('create table if not exists filler (id integer primary key, payload blob not null)');
  const insert = sqlite.prepare('insert into filler (payload) values (?)');
  const payload = Buffer.alloc(16 * 1024, 7);
  sqlite.transaction(() => {
    for (let i = 0; i < (mb * MB) / payload.length; i++) insert.run(payload);
  })();
}

describe('background checkpoint', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'warmpath-checkpoint-'));
    file = path.join(dir, 'store.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies committed pages into the database file from its own thread, not on commit', async () => {
    const store = await openStore(`sqlite:${file}`);
    try {
      expect(store.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(
        INLINE_CHECKPOINT_PAGES,
      );
      const before = statSync(file).size;
      writeMegabytes(store, 8);
      // the writer itself never checkpoints below INLINE_CHECKPOINT_PAGES: only the worker can
      // have grown the file
      expect(await waitFor(() => statSync(file).size >= before + 8 * MB)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('closes its connection first, so closing the store still removes the log', async () => {
    const store = await openStore(`sqlite:${file}`);
    writeMegabytes(store, 1);
    expect(existsSync(`${file}-wal`)).toBe(true);
    await store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    await store.close();
  });

  it('leaves checkpoints to the writer when turned off', async () => {
    const store = await openStore(`sqlite:${file}`, { backgroundCheckpoint: false });
    try {
      expect(store.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(
        WRITER_CHECKPOINT_PAGES,
      );
      const before = statSync(file).size;
      writeMegabytes(store, 1);
      await new Promise((resolve) => setTimeout(resolve, 500));
      // 1 MB is under the writer's threshold, and nobody else checkpoints
      expect(statSync(file).size).toBe(before);
    } finally {
      await store.close();
    }
  });
});
