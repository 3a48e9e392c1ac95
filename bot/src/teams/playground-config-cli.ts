// `npx tsx --conditions=source bot/src/teams/playground-config-cli.ts [--as <email>]`: writes
// data/agents-playground.yml so the Microsoft 365 Agents Playground chats with the bot as a
// person of the local (simulator) tenant, with colleagues who can be asked for intros.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@warmpath/shared/config';
import { listTenants, openStore } from '@warmpath/shared/store';
import { playgroundConfigYaml } from './agents-playground.js';
import { choosePlaygroundUsers, PLAYGROUND_CONFIG_FILE } from './choose-playground-users.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { as: { type: 'string' } } });
  const config = loadConfig();
  const store = await openStore(config.databaseUrl);
  try {
    // a fresh clone has no store yet: the same migrations npm start applies
    await store.migrate();
    const [tenant] = await listTenants(store.db);
    if (tenant === undefined) throw new Error('The store has no tenant yet: run npm start first.');
    const { currentUser, users } = await choosePlaygroundUsers(
      store.db,
      tenant.tenantId,
      values.as,
    );
    const file = path.resolve(PLAYGROUND_CONFIG_FILE);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, playgroundConfigYaml({ tenantId: tenant.tenantId, currentUser, users }));
    console.log(
      `Wrote ${PLAYGROUND_CONFIG_FILE}: you are ${currentUser.name} <${currentUser.email}> in ${tenant.displayName}.`,
    );
    console.log(
      `Now: M365_AGENTS_PLAYGROUND_CONFIG_PATH=${PLAYGROUND_CONFIG_FILE} npx agentsplayground -e http://127.0.0.1:${config.port}/api/messages`,
    );
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
