// `npm run bench`: every benchmark, a table on stdout and bench/results.json (contracts.md).
import { writeFile } from 'node:fs/promises';
import { benchApiThroughput } from './api-throughput.js';
import { describeMachine, type BenchResult } from './results.js';
import { benchScoringQuality } from './scoring-quality.js';
import { benchScoringThroughput } from './scoring-throughput.js';
import { benchSimulatorThroughput } from './sim-throughput.js';
import { benchSyncThroughput } from './sync-throughput.js';

const BENCHMARKS: Array<{ name: string; run: () => Promise<BenchResult[]> }> = [
  { name: 'simulator', run: benchSimulatorThroughput },
  { name: 'sync', run: benchSyncThroughput },
  { name: 'scoring', run: benchScoringThroughput },
  { name: 'quality', run: benchScoringQuality },
  { name: 'bot', run: async () => (await import('./bot-turn.js')).benchBotTurn() },
  { name: 'api', run: benchApiThroughput },
  {
    name: 'pane',
    run: async () => (await import('./pane-first-paths.js')).benchPaneFirstPaths(),
  },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const machine = describeMachine();
  console.log(`WarmPath benchmarks on ${machine}\n`);
  const results: BenchResult[] = [];
  for (const bench of BENCHMARKS.filter((b) => only.length === 0 || only.includes(b.name))) {
    process.stdout.write(`running ${bench.name}…\n`);
    results.push(...(await bench.run()));
  }
  console.table(
    results.map((r) => ({
      figure: r.name,
      value: r.value,
      unit: r.unit,
      target: r.target ?? '',
      detail: r.detail ?? '',
    })),
  );
  await writeFile(
    new URL('./results.json', import.meta.url),
    JSON.stringify({ machine, measuredAt: new Date().toISOString(), results }, null, 2) + '\n',
  );
  console.log('\nwrote bench/results.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
