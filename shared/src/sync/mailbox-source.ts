// Where calendars come from, behind one small interface: the app-only Graph source today; a
// delegated Graph connection, Exchange on-premises (EWS) or room calendars later, with no change
// to the sync that reads them.

/** The mailbox being read. */
export interface SourceMailbox {
  /** Entra object id (or the source's own stable id) of the mailbox owner */
  userId: string;
  userPrincipalName: string;
  /** primary SMTP address */
  email: string;
}

export interface SourceCalendar {
  calendarId: string;
  name: string;
  isDefault: boolean;
}

/** Where a read starts: a new round over a window, or a link the source handed out earlier. */
export type CalendarReadStart =
  { kind: 'window'; start: number; end: number } | { kind: 'link'; link: string };

/** One page of changes to one calendar. */
export interface CalendarPage {
  /** added or changed items, in the source's event shape (Graph's for every source) */
  items: unknown[];
  /** ids of items the source reports deleted or gone out of the window */
  removedIds: string[];
  /** more pages follow in this round; resume from here */
  nextLink?: string | undefined;
  /** the round is complete; the next round starts here */
  deltaLink?: string | undefined;
}

export interface MailboxSource {
  /** e.g. 'graph-app', 'graph-delegated', 'ews' (for logs) */
  readonly kind: string;
  /** Every calendar of the mailbox; the default one flagged. */
  listCalendars(mailbox: SourceMailbox): Promise<SourceCalendar[]>;
  /** Pages of one round, in order; throws MailboxSourceError. */
  readCalendarPages(
    mailbox: SourceMailbox,
    calendar: SourceCalendar,
    start: CalendarReadStart,
  ): AsyncIterable<CalendarPage>;
}

/** Why a source could not read a mailbox, in terms the sync acts on. */
export type MailboxSourceFailure =
  /** the stored link is no longer valid: start a new round over the window */
  | 'cursorExpired'
  /** the user has no mailbox this source can read */
  | 'mailboxNotFound'
  /** a policy keeps the app out of this mailbox */
  | 'accessDenied'
  /** the app lacks a permission or consent: the whole tenant is affected */
  | 'notAuthorized'
  /** the source asked us to come back later */
  | 'throttled'
  /** the source kept failing or could not be reached */
  | 'unavailable'
  | 'unknown';

export class MailboxSourceError extends Error {
  override readonly name = 'MailboxSourceError';
  readonly failure: MailboxSourceFailure;
  /** the source's own error code (Graph's error.code, an EWS response code) */
  readonly code: string;
  /** how long the source asked us to wait, when it did */
  readonly retryAfterMs: number | undefined;

  constructor(
    failure: MailboxSourceFailure,
    code: string,
    message: string,
    options: { retryAfterMs?: number | undefined; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.failure = failure;
    this.code = code;
    this.retryAfterMs = options.retryAfterMs;
  }
}
