// Exclusive leases on names (one mailbox, one tenant's directory) shared by every worker on one
// PostgreSQL database: session advisory locks, each held on its own pooled connection while the
// work runs. A crashed worker's connection closes, and PostgreSQL drops its locks with it.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { describeError, silentQueueLogger, type QueueLogger } from './types.js';

export interface AdvisoryLease {
  release(): Promise<void>;
}

export interface AdvisoryLocks {
  /** The lease on `name`, or null when another session holds it. Never waits for it. */
  tryAcquire(name: string): Promise<AdvisoryLease | null>;
  /** Ends the pool; resolves once every lease has been released. */
  close(): Promise<void>;
}

/** A 64-bit advisory lock key for a name; a collision would only serialise two names. */
function advisoryLockKey(name: string): string {
  const digest = createHash('sha256').update(name).digest();
  return digest.readBigInt64BE(0).toString();
}

export function createAdvisoryLocks(options: {
  connectionString: string;
  /** at most this many leases are held at once */
  maxLeases: number;
  applicationName?: string;
  logger?: QueueLogger;
}): AdvisoryLocks {
  const logger = options.logger ?? silentQueueLogger;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxLeases,
    application_name: options.applicationName ?? 'warmpath-sync-locks',
  });
  // an idle connection dropping is routine; the pool replaces it on the next checkout
  pool.on('error', (error) => logger.warn({ error: describeError(error) }, 'lock pool error'));

  return {
    async tryAcquire(name) {
      const key = advisoryLockKey(name);
      const client = await pool.connect();
      let locked = false;
      try {
        const result = await client.query<{ locked: boolean }>(
          'select pg_try_advisory_lock($1::bigint) as locked',
          [key],
        );
        locked = result.rows[0]?.locked === true;
      } catch (error) {
        client.release(true);
        throw error;
      }
      if (!locked) {
        client.release();
        return null;
      }
      const onLost = (error: Error) =>
        logger.error(
          { lock: name, error: describeError(error) },
          'lost the connection holding a sync lock; another worker may start the same job',
        );
      client.on('error', onLost);
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          try {
            await client.query('select pg_advisory_unlock($1::bigint)', [key]);
            client.removeListener('error', onLost);
            client.release();
          } catch (error) {
            client.removeListener('error', onLost);
            // closing the connection drops whatever locks it still holds
            client.release(error instanceof Error ? error : true);
          }
        },
      };
    },
    close: () => pool.end(),
  };
}
