// The pane inside Outlook: Office.onReady, the selected item, and ItemChanged for a pinned pane.
import type { OfficeThemeColors } from './office-theme.js';
import type { OutlookItemLike } from './read-participants.js';

export interface OutlookHost {
  /** the signed-in mailbox's address */
  userEmail: string | null;
  /** the selected item, or null when nothing (or several things) are selected */
  currentItem(): OutlookItemLike | null;
  /** a pinned pane stays open while the user selects another item */
  onItemChanged(listener: () => void): void;
  /** compose: the user adds or removes recipients (Mailbox 1.7) */
  onRecipientsChanged(listener: () => void): void;
  /** the user picks another Office theme (Mailbox 1.14; older hosts never call it) */
  onThemeChanged(listener: (theme: OfficeThemeColors) => void): void;
  supports(set: string, version: string): boolean;
}

/** How long office.js gets to report the host before the pane assumes a plain browser. */
const ON_READY_TIMEOUT_MS = 5000;

/** Connects to Outlook, or answers null when office.js is missing or the page is not in Outlook. */
export async function connectToOutlook(): Promise<OutlookHost | null> {
  if (typeof Office === 'undefined') return null;
  const info = await Promise.race([
    Office.onReady(),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), ON_READY_TIMEOUT_MS)),
  ]);
  if (info === null || info.host !== Office.HostType.Outlook) return null;
  const mailbox = Office.context.mailbox;
  const recipientListeners: (() => void)[] = [];
  const watchRecipients = () => {
    const item = mailbox.item as
      (Office.Item & { addHandlerAsync?: Office.MessageCompose['addHandlerAsync'] }) | null;
    if (!item?.addHandlerAsync || !Office.context.requirements.isSetSupported('Mailbox', '1.7'))
      return;
    item.addHandlerAsync(Office.EventType.RecipientsChanged, () => {
      for (const listener of recipientListeners) listener();
    });
  };
  watchRecipients();
  return {
    userEmail: mailbox.userProfile?.emailAddress ?? null,
    currentItem: () => (mailbox.item ?? null) as OutlookItemLike | null,
    onItemChanged(listener) {
      mailbox.addHandlerAsync(Office.EventType.ItemChanged, () => {
        watchRecipients();
        listener();
      });
    },
    onRecipientsChanged(listener) {
      recipientListeners.push(listener);
    },
    onThemeChanged(listener) {
      if (!Office.context.requirements.isSetSupported('Mailbox', '1.14')) return;
      mailbox.addHandlerAsync(
        Office.EventType.OfficeThemeChanged,
        (event: Office.OfficeThemeChangedEventArgs) => listener(event.officeTheme),
      );
    },
    supports: (set, version) => Office.context.requirements.isSetSupported(set, version),
  };
}
