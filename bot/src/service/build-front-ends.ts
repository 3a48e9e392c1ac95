// `npm start` on a fresh clone serves the tab and the add-in too: what is not built yet is built
// once (Vite, about half a minute) before the service starts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));

/** The front-end workspaces and the file whose presence says they are built. */
export const FRONT_ENDS = ['tab', 'addin'] as const;

export interface BuildFrontEndsOptions {
  repository?: string;
  say?: (line: string) => void;
  /** runs `npm run build` in these workspaces; returns the exit code */
  runBuild?: (workspaces: readonly string[], cwd: string) => number;
}

function npmBuild(workspaces: readonly string[], cwd: string): number {
  const args = ['run', 'build', ...workspaces.flatMap((w) => ['-w', w])];
  return spawnSync('npm', args, { cwd, stdio: 'inherit' }).status ?? 1;
}

/** Builds the front ends that have no dist/index.html; true when all are built afterwards. */
export function buildMissingFrontEnds(options: BuildFrontEndsOptions = {}): boolean {
  const repository = options.repository ?? REPOSITORY;
  const built = (name: string) => existsSync(`${repository}/${name}/dist/index.html`);
  const missing = FRONT_ENDS.filter((name) => !built(name));
  if (missing.length === 0) return true;
  options.say?.(`Building ${missing.join(' and ')} once (Vite)…`);
  const code = (options.runBuild ?? npmBuild)(missing, repository);
  if (code !== 0) options.say?.(`Building ${missing.join(' and ')} failed (exit ${code}).`);
  return FRONT_ENDS.every(built);
}
