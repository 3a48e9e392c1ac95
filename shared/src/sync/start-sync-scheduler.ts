// Embedded mode's polling: a delta round for every mailbox every interval, the directory (and so
// the expansion of tracked groups) re-read less often. Change notifications come later and make
// rounds rarer; this stays as the fallback. stop() ends it between pages.
import { runSyncRound, type RunSyncRoundProps, type SyncRoundResult } from './run-sync-round.js';

/** Between delta rounds. */
export const DEFAULT_SYNC_INTERVAL_MS = 10 * 60_000;
/** Between directory refreshes: a new group member is picked up, a removed one stops. */
export const DEFAULT_DIRECTORY_INTERVAL_MS = 60 * 60_000;

export interface SyncSchedulerProps extends Omit<
  RunSyncRoundProps,
  'signal' | 'refreshDirectory' | 'respectBackoff'
> {
  /** pause after each round; default 10 minutes */
  intervalMs?: number;
  /** how often a round also refreshes the directory; default 1 hour (the first round always does) */
  directoryIntervalMs?: number;
  onRound?: (result: SyncRoundResult) => void;
  /** a round that failed as a whole (directory unreachable, store down); the next one still runs */
  onError?: (error: unknown) => void;
}

export interface SyncScheduler {
  /** Stops after the page in hand; resolves when the round in progress has let go. */
  stop(): Promise<void>;
}

export function startSyncScheduler(props: SyncSchedulerProps): SyncScheduler {
  const clock = props.clock ?? Date.now;
  const intervalMs = props.intervalMs ?? DEFAULT_SYNC_INTERVAL_MS;
  const directoryIntervalMs = props.directoryIntervalMs ?? DEFAULT_DIRECTORY_INTERVAL_MS;
  const controller = new AbortController();
  let lastDirectoryRefresh: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const round = async (): Promise<void> => {
    const now = clock();
    const refreshDirectory =
      lastDirectoryRefresh === undefined || now - lastDirectoryRefresh >= directoryIntervalMs;
    try {
      const result = await runSyncRound({
        ...props,
        refreshDirectory,
        respectBackoff: true,
        signal: controller.signal,
      });
      if (refreshDirectory) lastDirectoryRefresh = now;
      props.onRound?.(result);
    } catch (error) {
      if (controller.signal.aborted) return;
      props.logger?.error({ tenantId: props.tenantId, err: error }, 'sync round failed');
      props.onError?.(error);
    }
    if (!controller.signal.aborted) timer = setTimeout(start, intervalMs);
  };
  const start = (): void => {
    running = round();
  };
  start();

  return {
    async stop() {
      controller.abort(new Error('The sync scheduler was stopped.'));
      clearTimeout(timer);
      await running;
    },
  };
}
