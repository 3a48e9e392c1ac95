// `npm run sim -- [options]`: the tenant simulator on its own (see sim/README.md).
import { parseArgs } from 'node:util';
import { defaultGenerateOptions, startSimulator } from './index.js';

const USAGE = `Usage: npm run sim -- [--seed N] [--users N] [--companies N] [--months N] [--anchor YYYY-MM-DD]
                        [--density N] [--tenant FILE]... [--out FILE] [--port P] [--print-env]`;

function wholeNumber(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new Error(`--${name} must be a whole number of at least ${min} (got "${value}")`);
  }
  return Number(value);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      users: { type: 'string' },
      companies: { type: 'string' },
      months: { type: 'string' },
      anchor: { type: 'string' },
      density: { type: 'string' },
      tenant: { type: 'string', multiple: true },
      out: { type: 'string' },
      port: { type: 'string' },
      'print-env': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const defaults = defaultGenerateOptions();
  if (values.anchor !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.anchor)) {
    throw new Error(`--anchor must be a date as YYYY-MM-DD (got "${values.anchor}")`);
  }
  const simulator = await startSimulator({
    tenantFiles: values.tenant,
    outFile: values.out,
    port: wholeNumber('port', values.port, 8443),
    generate: {
      seed: wholeNumber('seed', values.seed, defaults.seed),
      users: wholeNumber('users', values.users, defaults.users, 1),
      companies: wholeNumber('companies', values.companies, defaults.companies, 1),
      months: wholeNumber('months', values.months, defaults.months, 1),
      anchor: values.anchor ?? defaults.anchor,
      density:
        values.density === undefined ? undefined : wholeNumber('density', values.density, 8, 1),
    },
  });
  if (values['print-env']) {
    for (const [key, value] of Object.entries(simulator.server.env()))
      console.log(`${key}=${value}`);
  } else {
    console.log(`Tenant simulator listening on ${simulator.server.url}`);
    for (const engine of simulator.engines) {
      const users = engine.listUsers();
      console.log(
        `  tenant ${engine.organization.displayName} (${engine.tenantId}): ${users.length} users, ${engine.listGroups().length} groups`,
      );
    }
    console.log('Add --print-env for the variables that point WarmPath at it. Ctrl+C stops it.');
  }
  const stop = async () => {
    await simulator.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(USAGE);
  process.exit(1);
});
