// How `npm run sync` shows a round: a progress bar on a terminal, one plain line per mailbox
// otherwise (logs, CI), and a closing summary either way.
import cliProgress from 'cli-progress';
import type { SyncProgress, SyncRoundResult } from '@warmpath/shared/sync';

export interface SyncProgressReporter {
  onProgress(progress: SyncProgress): void;
  /** Ends the bar and prints the summary and each failed mailbox's reason. */
  finish(result: SyncRoundResult): void;
  /** Ends the bar without a summary (the round failed as a whole). */
  abandon(): void;
}

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function reportSyncProgress(out: ProgressOutput): SyncProgressReporter {
  const itemsByMailbox = new Map<string, number>();
  let pages = 0;
  let bar: cliProgress.SingleBar | undefined;
  const line = (text: string) => {
    if (bar) bar.stop();
    out.write(`${text}\n`);
  };

  return {
    onProgress(progress) {
      switch (progress.type) {
        case 'directoryRefreshed': {
          const { mailboxes, added, removed } = progress.expansion;
          line(
            `Directory read: ${mailboxes} tracked mailbox(es), ${added.length} new, ${removed.length} no longer tracked.`,
          );
          break;
        }
        case 'roundStarted':
          if (out.isTTY) {
            bar = new cliProgress.SingleBar(
              {
                format: 'Syncing {bar} {value}/{total} mailboxes | {pages} pages',
                stream: out as NodeJS.WritableStream,
                hideCursor: true,
                clearOnComplete: true,
              },
              cliProgress.Presets.shades_classic,
            );
            bar.start(progress.mailboxes, 0, { pages });
          } else {
            line(`Syncing ${progress.mailboxes} mailbox(es)…`);
          }
          break;
        case 'pageStored':
          pages++;
          itemsByMailbox.set(
            progress.userId,
            (itemsByMailbox.get(progress.userId) ?? 0) + progress.upserts,
          );
          bar?.update({ pages });
          break;
        case 'mailboxFinished': {
          const { outcome, finished, total } = progress;
          if (bar) {
            bar.update(finished, { pages });
          } else {
            const what =
              outcome.state === 'synced'
                ? `synced (${itemsByMailbox.get(outcome.userId) ?? 0} changes read)`
                : `failed: ${outcome.failure?.message ?? 'unknown error'}`;
            out.write(`[${finished}/${total}] ${outcome.userPrincipalName} ${what}\n`);
          }
          break;
        }
        default:
          break;
      }
    },

    finish(result) {
      bar?.stop();
      bar = undefined;
      const seconds = ((result.finishedAt - result.startedAt) / 1000).toFixed(1);
      const deferred = result.deferred > 0 ? `, ${result.deferred} waiting to retry` : '';
      out.write(
        `Synced ${result.synced} of ${result.mailboxes.length} mailbox(es) in ${seconds} s; ${result.failed} failed${deferred}.\n`,
      );
      if (out.isTTY) {
        for (const outcome of result.mailboxes) {
          if (outcome.state === 'error') {
            out.write(`  ${outcome.userPrincipalName}: ${outcome.failure?.message ?? ''}\n`);
          }
        }
      }
    },

    abandon() {
      bar?.stop();
      bar = undefined;
    },
  };
}
