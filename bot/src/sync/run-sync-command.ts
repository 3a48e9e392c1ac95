// `npm run sync` (contracts.md): --once, --track <mail or id>[,…] and --status [--json]. Returns
// the exit code; everything it needs from the outside world comes in through `io`.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type MicrosoftTenantConfig } from '@warmpath/shared/config';
import { createGraphClient, GraphError, type GraphClient } from '@warmpath/shared/graph';
import { createCommandLogger } from '@warmpath/shared/log';
import { refreshTies } from '@warmpath/shared/scoring';
import { openStore, StoreError, upsertTenant, type Store } from '@warmpath/shared/store';
import {
  createGraphTenantDirectory,
  readSyncStatus,
  runSyncRound,
  trackPrincipals,
  UnknownPrincipalError,
  type MailboxSyncStatus,
} from '@warmpath/shared/sync';
import { reportSyncProgress, type ProgressOutput } from './report-sync-progress.js';
import { trackDemoGroup } from './track-demo-group.js';

/**
 * SQLite memory for this command: a sync round gains nothing from a large page cache or a mapped
 * file (measured again with 500 mailboxes: 16 MB costs no more CPU than 32 MB), while the store
 * defaults, sized for scoring and serving a large tenant, would grow the process with the tenant.
 */
export const SYNC_COMMAND_SQLITE = { cacheSizeMb: 16, mmapSizeMb: 0 } as const;

const USAGE = `Usage: npm run sync -- <command>

  --once                     one full-or-delta round for every tracked mailbox
  --track <mail or id>[,…]   track users or groups (\`all\`: every user with a mailbox), then sync
  --status [--json]          each mailbox's sync state, from the store only

Without TENANT_ID, CLIENT_ID and CLIENT_SECRET the command runs against the tenant simulator's
demo organisation (as \`npm start\` does) and, while nothing is tracked, tracks its
Customer Facing group.`;

/** A simulated tenant for local mode: the app's environment for it, and how to stop it. */
export interface LocalTenant {
  env: Record<string, string>;
  close(): Promise<void>;
}

export interface SyncCommandIo {
  env: NodeJS.ProcessEnv;
  stdout: ProgressOutput;
  stderr: ProgressOutput;
  /** Starts the simulator for local mode (only called when no tenant is configured). */
  startLocalTenant(): Promise<LocalTenant>;
}

interface Options {
  once: boolean;
  track: string[];
  status: boolean;
  json: boolean;
}

function parseOptions(argv: readonly string[]): Options | string {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        once: { type: 'boolean', default: false },
        track: { type: 'string', multiple: true },
        status: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
    if (values.help) return USAGE;
    const track = (values.track ?? []).flatMap((value) => value.split(',')).map((v) => v.trim());
    if (values.track !== undefined && track.every((reference) => reference === '')) {
      return `--track needs a mail address, user principal name, object id or "all".\n\n${USAGE}`;
    }
    const commands = [values.once, values.track !== undefined, values.status].filter(Boolean);
    if (commands.length !== 1) return USAGE;
    if (values.json && !values.status) return `--json goes with --status.\n\n${USAGE}`;
    return {
      once: values.once,
      track: track.filter((reference) => reference !== ''),
      status: values.status,
      json: values.json,
    };
  } catch (error) {
    return `${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`;
  }
}

function statusTable(rows: MailboxSyncStatus[]): string {
  if (rows.length === 0) return 'No mailboxes yet: track users or groups with --track.\n';
  const lines = rows.map((row) => {
    const line = [
      row.state.padEnd(8),
      String(row.eventsStored).padStart(7),
      (row.lastSuccessAt ?? 'never').padEnd(24),
      row.userPrincipalName,
    ].join('  ');
    return row.lastError ? `${line}\n${' '.repeat(8)}${row.lastError}` : line;
  });
  return `${['state   ', ' events', 'last success'.padEnd(24), 'mailbox'].join('  ')}\n${lines.join('\n')}\n`;
}

function fatalMessage(error: unknown): string {
  if (error instanceof UnknownPrincipalError || error instanceof ConfigError) return error.message;
  if (error instanceof GraphError) return `Microsoft Graph: ${error.message}`;
  if (error instanceof StoreError) return `The store (DATABASE_URL): ${error.message}`;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

export async function runSyncCommand(argv: readonly string[], io: SyncCommandIo): Promise<number> {
  const options = parseOptions(argv);
  if (typeof options === 'string') {
    const help = options === USAGE && (argv.includes('--help') || argv.includes('-h'));
    (help ? io.stdout : io.stderr).write(`${options}\n`);
    return help ? 0 : 2;
  }
  let config;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    io.stderr.write(`${fatalMessage(error)}\n`);
    return 1;
  }

  let store: Store | undefined;
  let graph: GraphClient | undefined;
  let local: LocalTenant | undefined;
  const progress = reportSyncProgress(io.stdout);
  try {
    // SQLite options only: a PostgreSQL store ignores them
    store = await openStore(config.databaseUrl, SYNC_COMMAND_SQLITE);
    await store.migrate();
    if (options.status) {
      // the store only: no simulator, no Graph
      const rows = await readSyncStatus(store);
      io.stdout.write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : statusTable(rows));
      return 0;
    }

    let tenant: MicrosoftTenantConfig | null = config.microsoft;
    if (tenant === null) {
      local = await io.startLocalTenant();
      tenant = loadConfig({ ...io.env, ...local.env }).microsoft;
      if (tenant === null) throw new Error('The tenant simulator gave no tenant configuration.');
    }
    const logger = createCommandLogger('sync', io.env);
    graph = createGraphClient({ tenant, logger });
    const directory = createGraphTenantDirectory(graph);
    const organization = await directory.organization();
    const tenantId = organization.tenantId;
    await upsertTenant(store.db, tenantId, {
      displayName: organization.displayName,
      verifiedDomains: organization.verifiedDomains,
    });

    if (options.track.length > 0) {
      const tracked = await trackPrincipals({
        store,
        directory,
        tenantId,
        references: options.track,
        addedBy: 'cli',
      });
      const names = tracked.added.map((p) => `${p.displayName ?? p.principalId} (${p.kind})`);
      io.stdout.write(
        `Tracking ${tracked.added.length} more: ${names.join(', ') || 'nothing new'}; ${tracked.alreadyTracked.length} already tracked.\n`,
      );
    } else if (local !== undefined) {
      await trackDemoGroup(store, directory, tenantId, (line) => io.stdout.write(`${line}\n`));
    }

    const result = await runSyncRound({
      store,
      graph,
      tenantId,
      logger,
      onProgress: (event) => progress.onProgress(event),
    });
    progress.finish(result);
    // the relationship scores follow what the round stored
    const started = Date.now();
    const scored = await refreshTies(store, tenantId);
    io.stdout.write(
      `Scored ${scored.events} meeting(s)${scored.rebuilt ? ' (full rebuild)' : ''}: ${scored.ties} tie(s) written in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`,
    );
    return 0;
  } catch (error) {
    progress.abandon();
    io.stderr.write(`npm run sync: ${fatalMessage(error)}\n`);
    return 1;
  } finally {
    await graph?.close();
    await store?.close();
    await local?.close();
  }
}
