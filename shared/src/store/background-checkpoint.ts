// SQLite copies its write-ahead log back into the database file (a checkpoint) on the connection
// that commits, by default: a scoring batch that wrote 70,000 pages then copies them all again
// on Node's only thread. Here a worker thread with its own connection checkpoints instead, a
// moment after each commit, while the writer goes on.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker copies committed log frames into the database file. */
export const CHECKPOINT_INTERVAL_MS = 200;

/**
 * Log pages after which the writing connection checkpoints by itself after all (SQLite's
 * wal_autocheckpoint): only reached if the worker stopped or falls far behind, so the log
 * cannot grow without bound.
 */
export const INLINE_CHECKPOINT_PAGES = 262_144;

/** The log pages at which a store without a worker checkpoints, as before. */
export const WRITER_CHECKPOINT_PAGES = 16_384;

// plain CommonJS run by the worker: no loader or transpiler is needed in the thread
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
let failures = 0;
const checkpoint = () => {
  try {
    // PASSIVE: copies what readers no longer need, never waits for or blocks the writer
    db.pragma('wal_checkpoint(PASSIVE)');
    failures = 0;
  } catch (error) {
    if (++failures === 3) parentPort.postMessage({ error: String(error && error.message) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface BackgroundCheckpoint {
  /** Stops the worker and closes its connection; later calls do nothing. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `filename` (a WAL-mode SQLite file) from a worker thread. `onFailure` is
 * told once if the worker cannot go on; the writer then checkpoints by itself again.
 */
export function startBackgroundCheckpoint(
  filename: string,
  onFailure: (reason: string) => void,
  intervalMs = CHECKPOINT_INTERVAL_MS,
): BackgroundCheckpoint {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, filename, intervalMs },
    // the checkpoint needs no loader hooks or flags of the main thread
    execArgv: [],
    // it allocates almost nothing: a small heap keeps the thread's memory small
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8 },
  });
  // a store left open must not keep the process alive
  worker.unref();
  let failed = false;
  const fail = (reason: string) => {
    if (failed) return;
    failed = true;
    onFailure(reason);
  };
  worker.on('message', (message: { error?: string }) => {
    if (message.error !== undefined) fail(message.error);
  });
  worker.on('error', (error) => fail(error.message));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        worker.postMessage('close');
        worker.ref();
        await exited;
      })();
      return stopping;
    },
  };
}
