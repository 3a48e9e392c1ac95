import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestSim } from './testing.js';
import { ensureTlsMaterial } from './tls.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-tls-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('simulator certificate', () => {
  it('is made once for 127.0.0.1 and localhost and reused, even by concurrent callers', async () => {
    const dir = tempDir();
    const [a, b, c] = await Promise.all([
      ensureTlsMaterial(dir),
      ensureTlsMaterial(dir),
      ensureTlsMaterial(dir),
    ]);
    expect(b?.cert).toBe(a?.cert);
    expect(c?.cert).toBe(a?.cert);
    const again = await ensureTlsMaterial(dir);
    expect(again.cert).toBe(a?.cert);
    expect(readFileSync(again.certPath, 'utf8')).toBe(a?.cert);
    const x509 = new X509Certificate(again.cert);
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.checkHost('localhost')).toBe('localhost');
  });

  it('is trusted by a Node process started with NODE_EXTRA_CA_CERTS', async () => {
    const dir = tempDir();
    const sim = await startTestSim({ tlsDir: dir });
    try {
      const env = sim.server.env();
      const script = `require('node:https').get(process.argv[1], (r) => { process.stdout.write(String(r.statusCode)); r.resume(); }).on('error', (e) => { process.stdout.write(e.code || e.message); });`;
      const run = promisify(execFile);
      const trusted = await run(process.execPath, ['-e', script, `${sim.server.url}/_sim/health`], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: env.NODE_EXTRA_CA_CERTS },
      });
      expect(trusted.stdout).toBe('200');
      const untrusted = await run(
        process.execPath,
        ['-e', script, `${sim.server.url}/_sim/health`],
        {
          env: { ...process.env, NODE_EXTRA_CA_CERTS: '' },
        },
      );
      expect(untrusted.stdout).toMatch(/CERT|SIGNED|ISSUER/);
    } finally {
      await sim.close();
    }
  });
});
