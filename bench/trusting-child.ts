// A bench script run in its own Node process that trusts the simulator's certificate: Node reads
// NODE_EXTRA_CA_CERTS only at process start. The script prints its result as its last stdout line.
import { spawn } from 'node:child_process';
import { ensureTlsMaterial } from '../sim/src/server/tls.js';

/** Runs `script` (a path from the repository root) and parses the JSON of its last stdout line. */
export async function runTrustingChild<T>(script: string): Promise<T> {
  const { certPath } = await ensureTlsMaterial();
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = output.trim().split('\n').pop() ?? '';
  if (code !== 0 || !/^[[{]/.test(line)) throw new Error(`${script} failed (exit ${code})`);
  return JSON.parse(line) as T;
}
