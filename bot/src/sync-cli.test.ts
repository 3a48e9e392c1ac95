// The real entry point in a child process, as `npm run sync` starts it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // local mode: no tenant variables, and not yet trusting the simulator's certificate
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !['TENANT_ID', 'CLIENT_ID', 'CLIENT_SECRET', 'NODE_EXTRA_CA_CERTS', 'LOG_LEVEL'].includes(
          key,
        ),
    ),
  );
  const child = spawn(TSX, ['--conditions=source', 'bot/src/sync-cli.ts', ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('bot/src/sync-cli.ts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warmpath-sync-entry-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints an empty status as JSON from the store alone', async () => {
    const result = await runCli(['--status', '--json'], {
      DATABASE_URL: `sqlite:${join(dir, 'status.db')}`,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  }, 60_000);

  it('starts again trusting the simulator, reaches its directory, and exits 1 on an unknown name', async () => {
    const result = await runCli(['--track', 'nobody@nowhere.example'], {
      DATABASE_URL: `sqlite:${join(dir, 'track.db')}`,
    });
    // a certificate the process did not trust would fail before the directory is read
    expect(result.stderr).toContain(
      'No user or group in the directory matches "nobody@nowhere.example"',
    );
    expect(result.code).toBe(1);
  }, 60_000);
});
