// Local mode talks HTTPS to the tenant simulator, whose certificate Node trusts only through
// NODE_EXTRA_CA_CERTS, read once when the process starts. So the command starts itself again,
// once, with it set.
import { spawn } from 'node:child_process';
import { ensureTlsMaterial } from '@warmpath/sim';

const RELAUNCHED = 'WARMPATH_RELAUNCHED_WITH_SIM_CA';

/**
 * Undefined when this process already trusts the simulator; else the exit code of the same
 * command run again in a child process that does.
 */
export async function relaunchTrustingSimulator(): Promise<number | undefined> {
  const { certPath } = await ensureTlsMaterial();
  if (process.env.NODE_EXTRA_CA_CERTS === certPath || process.env[RELAUNCHED] === '1') {
    return undefined;
  }
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath, [RELAUNCHED]: '1' },
  });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
