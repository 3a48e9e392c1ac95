// Runs the simulator in its own process, as in production where Graph is another machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface ChildSimulator {
  env: Record<string, string>;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startChildSimulator(args: string[]): Promise<ChildSimulator> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=source',
      'sim/src/cli.ts',
      '--port',
      '0',
      '--print-env',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const env: Record<string, string> = {};
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`simulator exited early with code ${code}`)));
    lines.on('line', (line) => {
      const match = /^([A-Z_]+)=(.*)$/.exec(line);
      if (match) env[match[1]!] = match[2]!;
      if (env.GRAPH_BASE_URL && env.NODE_EXTRA_CA_CERTS && env.CLIENT_SECRET) resolve();
    });
  });
  return {
    env,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
