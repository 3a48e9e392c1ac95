// A second worker process for pg-boss-queue.test.ts: works the test's queue with recording
// handlers until it is sent SIGTERM, then stops gracefully. Started with `node --import tsx`.
import { createPgBossQueue } from './pg-boss-queue.js';
import { RunRecorder } from './test-support.js';

const url = process.env.QUEUE_TEST_DATABASE_URL;
const schema = process.env.QUEUE_TEST_SCHEMA;
const worker = process.env.QUEUE_TEST_WORKER ?? 'process';
if (!url || !schema) throw new Error('QUEUE_TEST_DATABASE_URL and QUEUE_TEST_SCHEMA are required');

const recorder = new RunRecorder(url, schema);
const queue = await createPgBossQueue({
  connectionString: url,
  schema,
  pollingIntervalSeconds: 0.5,
  busyRetrySeconds: 1,
  retryDelaySeconds: 0,
  maintenance: false,
});
await queue.work(
  recorder.handlers(worker, () => 10 + Math.random() * 50),
  { concurrency: 2 },
);

process.once('SIGTERM', () => {
  void queue
    .stop()
    .then(() => recorder.close())
    .then(() => process.exit(0));
});
process.send?.('ready');
