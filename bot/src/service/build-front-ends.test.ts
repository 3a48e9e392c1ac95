import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMissingFrontEnds } from './build-front-ends.js';

function repositoryWith(built: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'warmpath-front-ends-'));
  for (const name of built) {
    mkdirSync(join(root, name, 'dist'), { recursive: true });
    writeFileSync(join(root, name, 'dist', 'index.html'), '<!doctype html>');
  }
  return root;
}

describe('buildMissingFrontEnds', () => {
  it('builds only what has no dist/index.html and reports success once both exist', () => {
    const repository = repositoryWith(['tab']);
    const builds: string[][] = [];
    const said: string[] = [];
    const ok = buildMissingFrontEnds({
      repository,
      say: (line) => said.push(line),
      runBuild: (workspaces) => {
        builds.push([...workspaces]);
        mkdirSync(join(repository, 'addin', 'dist'), { recursive: true });
        writeFileSync(join(repository, 'addin', 'dist', 'index.html'), '<!doctype html>');
        return 0;
      },
    });
    expect(builds).toEqual([['addin']]);
    expect(said).toEqual(['Building addin once (Vite)…']);
    expect(ok).toBe(true);
  });

  it('runs no build when both are built, and says so when a build fails', () => {
    let runs = 0;
    expect(
      buildMissingFrontEnds({
        repository: repositoryWith(['tab', 'addin']),
        runBuild: () => ++runs,
      }),
    ).toBe(true);
    expect(runs).toBe(0);
    const said: string[] = [];
    expect(
      buildMissingFrontEnds({
        repository: repositoryWith([]),
        say: (l) => said.push(l),
        runBuild: () => 2,
      }),
    ).toBe(false);
    expect(said).toEqual([
      'Building tab and addin once (Vite)…',
      'Building tab and addin failed (exit 2).',
    ]);
  });
});
