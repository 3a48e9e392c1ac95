import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';
import type { BulkColumnType } from './bulk-insert.js';

/** Booleans are stored as integer 0/1 in both engines (better-sqlite3 cannot bind JS booleans). */
export type Flag = 0 | 1;

/** Instants are epoch milliseconds (bigint in PostgreSQL, integer in SQLite, number in JS). */
export type EpochMs = number;

/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** JSON is stored as text; repository functions parse and serialise it. */
export type JsonText = string;

export type PersonKind = 'internal' | 'external';
export type PrincipalKind = 'user' | 'group';
export type MailboxState = 'pending' | 'syncing' | 'synced' | 'error' | 'removed';
export type EventType = 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';
export type Sensitivity = 'normal' | 'personal' | 'private' | 'confidential';
export type AttendeeRole = 'organizer' | 'required' | 'optional';
/** Graph responseStatus.response wire values. */
export type ResponseStatus =
  'none' | 'organizer' | 'tentativelyAccepted' | 'accepted' | 'declined' | 'notResponded';
export type ResourceKind = 'room' | 'equipment' | 'group' | 'shared';

export const PERSON_KINDS: readonly PersonKind[] = ['internal', 'external'];
export const PRINCIPAL_KINDS: readonly PrincipalKind[] = ['user', 'group'];
export const MAILBOX_STATES: readonly MailboxState[] = [
  'pending',
  'syncing',
  'synced',
  'error',
  'removed',
];
export const EVENT_TYPES: readonly EventType[] = [
  'singleInstance',
  'occurrence',
  'exception',
  'seriesMaster',
];
export const SENSITIVITIES: readonly Sensitivity[] = [
  'normal',
  'personal',
  'private',
  'confidential',
];
export const ATTENDEE_ROLES: readonly AttendeeRole[] = ['organizer', 'required', 'optional'];
export const RESPONSE_STATUSES: readonly ResponseStatus[] = [
  'none',
  'organizer',
  'tentativelyAccepted',
  'accepted',
  'declined',
  'notResponded',
];
export const RESOURCE_KINDS: readonly ResourceKind[] = ['room', 'equipment', 'group', 'shared'];

export interface IdSequencesTable {
  tenant_id: string;
  /** which id space: 'people', 'events', 'sync_inbox' */
  name: string;
  next_id: number;
}

export interface TenantsTable {
  tenant_id: string;
  display_name: string;
  /** JSON string[] of the tenant's verified domains */
  verified_domains: Defaulted<JsonText>;
  consent_granted_at: EpochMs | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface TenantSettingsTable {
  tenant_id: string;
  sync_private_appointments: Defaulted<Flag>;
  only_online_meetings: Defaulted<Flag>;
  lookback_months: Defaulted<number>;
  lookahead_months: Defaulted<number>;
  /** 1 to 5 (CHECK) */
  calendars_per_mailbox: Defaulted<number>;
  extra_internal_domains: Defaulted<JsonText>;
  excluded_domains: Defaulted<JsonText>;
  excluded_addresses: Defaulted<JsonText>;
  updated_at: EpochMs;
}

export interface PeopleTable {
  tenant_id: string;
  person_id: number;
  /** lowercase; unique per tenant */
  email: string;
  display_name: string | null;
  kind: PersonKind;
  /** Entra object id for directory users; unique per tenant when present */
  aad_object_id: string | null;
  /** registrable domain (eTLD+1) of the email address */
  domain: string;
  is_personal_domain: Flag;
  company_name: string | null;
  job_title: string | null;
  department: string | null;
  account_enabled: Flag | null;
  /** when the person disappeared from the directory */
  left_at: EpochMs | null;
  first_seen_at: EpochMs;
  updated_at: EpochMs;
}

export interface TrackedPrincipalsTable {
  tenant_id: string;
  /** Entra object id of the user or group */
  principal_id: string;
  kind: PrincipalKind;
  display_name: string | null;
  email: string | null;
  added_at: EpochMs;
  added_by: string | null;
}

export interface MailboxesTable {
  tenant_id: string;
  /** Entra object id of the mailbox owner */
  user_id: string;
  person_id: number | null;
  user_principal_name: string;
  /** mailboxSettings.userPurpose: user, shared, room, equipment, … */
  purpose: string | null;
  state: MailboxState;
  /** JSON string[] of tracked principal ids that brought this mailbox in */
  tracked_via: Defaulted<JsonText>;
  events_stored: Defaulted<number>;
  last_success_at: EpochMs | null;
  last_error_code: string | null;
  last_error_message: string | null;
  consecutive_failures: Defaulted<number>;
  next_attempt_at: EpochMs | null;
  subscription_id: string | null;
  subscription_expires_at: EpochMs | null;
  subscription_client_state_hash: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface CalendarsTable {
  tenant_id: string;
  user_id: string;
  calendar_id: string;
  name: string;
  is_default: Flag;
  selected: Flag;
  /** calendarView/delta @odata.deltaLink of the last completed round */
  delta_link: string | null;
  /** @odata.nextLink of the round in progress */
  next_link: string | null;
  window_start: EpochMs | null;
  window_end: EpochMs | null;
  round_started_at: EpochMs | null;
  last_round_at: EpochMs | null;
  updated_at: EpochMs;
}

export interface EventsTable {
  tenant_id: string;
  event_id: number;
  /** Graph iCalUId: one per meeting instance across all mailboxes; unique per tenant */
  ical_uid: string;
  /** iCalUId of the series master for occurrences and exceptions */
  series_key: string | null;
  type: EventType;
  start_at: EpochMs;
  end_at: EpochMs;
  is_all_day: Flag;
  /** 'YYYY-MM-DD' for all-day events, whose dates do not depend on a time zone */
  start_date: string | null;
  end_date: string | null;
  original_time_zone: string | null;
  is_cancelled: Flag;
  sensitivity: Sensitivity;
  is_private: Flag;
  is_online: Flag;
  online_provider: string | null;
  organizer_person_id: number | null;
  participant_count: number;
  /** digest of the attendance the sync last wrote (event-page.ts); null until it writes one */
  attendance_key: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface MailboxEventsTable {
  tenant_id: string;
  user_id: string;
  /** immutable Graph item id of this mailbox's copy */
  graph_event_id: string;
  calendar_id: string;
  event_id: number;
  /** the mailbox owner's own response */
  response: ResponseStatus | null;
  is_organizer: Flag;
  change_key: string | null;
  last_modified_at: EpochMs | null;
  /** when a sync page last carried this copy; a full round sweeps copies it did not see */
  synced_at: EpochMs;
}

export interface AttendanceTable {
  tenant_id: string;
  event_id: number;
  person_id: number;
  role: AttendeeRole;
  response: ResponseStatus | null;
}

export interface ResourceIdentitiesTable {
  tenant_id: string;
  /** lowercase */
  email: string;
  kind: ResourceKind;
  display_name: string | null;
  /** where we learned it: 'places', 'mailboxSettings', 'attendee', … */
  source: string;
  updated_at: EpochMs;
}

export interface SyncInboxTable {
  tenant_id: string;
  id: number;
  user_id: string;
  subscription_id: string;
  received_at: EpochMs;
  processed_at: EpochMs | null;
}

export interface ScoreQueueTable {
  tenant_id: string;
  event_id: number;
  queued_at: EpochMs;
}

export interface ScoredEventsTable {
  tenant_id: string;
  event_id: number;
  /** what the meeting contributed was computed from (scoring/snapshot.ts) */
  snapshot: string;
}

export interface TiesTable {
  tenant_id: string;
  /** the employee (internal person) whose tie it is */
  person_id: number;
  /** the contact or colleague they met */
  other_id: number;
  other_internal: Flag;
  /** registrable domain of an external contact on a company domain; null otherwise */
  other_domain: string | null;
  /** forward-decayed sums Σ w·2^((t−L)/H), H = 30, 90, 365 days (scoring/parameters.ts) */
  g30: number;
  g90: number;
  g365: number;
  meetings: number;
  one_on_ones: number;
  /** meetings the other side accepted or organised */
  reciprocated: number;
  /**
   * start of the first and the last meeting that counts; null for colleagues (never shown), and
   * null or a negative first_met while unknown, after a meeting that may have set one went away
   * (scoring/ties.ts readTieSpans reads it when shown)
   */
  first_met: EpochMs | null;
  last_met: EpochMs | null;
}

/** The ties' columns after tenant_id with their PostgreSQL types, as bulk writes send them. */
export const TIE_COLUMNS = [
  ['other_id', 'integer'],
  ['person_id', 'integer'],
  ['other_internal', 'integer'],
  ['other_domain', 'text'],
  ['g30', 'double precision'],
  ['g90', 'double precision'],
  ['g365', 'double precision'],
  ['meetings', 'integer'],
  ['one_on_ones', 'integer'],
  ['reciprocated', 'integer'],
  ['first_met', 'bigint'],
  ['last_met', 'bigint'],
] as const satisfies ReadonlyArray<readonly [keyof TiesTable, BulkColumnType]>;

export interface TieDegreesTable {
  tenant_id: string;
  person_id: number;
  /** external people this employee has a tie to */
  external_contacts: number;
}

export interface ScoringStateTable {
  tenant_id: string;
  /** meetings starting by this instant count */
  scored_until: EpochMs;
  parameters_version: string;
  rebuilt_at: EpochMs | null;
  updated_at: EpochMs;
}

export type IntroTargetKind = 'company' | 'person';
export type IntroStatus = 'pending' | 'accepted' | 'declined';
export const INTRO_STATUSES: readonly IntroStatus[] = ['pending', 'accepted', 'declined'];

export interface IntroRequestsTable {
  tenant_id: string;
  /** random UUID */
  request_id: string;
  requester_person_id: number;
  connector_person_id: number;
  target_kind: IntroTargetKind;
  /** the company's registrable domain, or a person target's domain when known */
  target_domain: string | null;
  /** lowercase email of a person target */
  target_email: string | null;
  target_name: string;
  /** the requester's own words to the connector */
  note: string | null;
  status: IntroStatus;
  created_at: EpochMs;
  decided_at: EpochMs | null;
}

export interface BotConversationsTable {
  tenant_id: string;
  /** the Teams user's Entra object id */
  aad_object_id: string;
  /** Bot Framework ConversationReference of the 1:1 chat, as JSON */
  reference: JsonText;
  updated_at: EpochMs;
}

export interface Database {
  id_sequences: IdSequencesTable;
  tenants: TenantsTable;
  tenant_settings: TenantSettingsTable;
  people: PeopleTable;
  tracked_principals: TrackedPrincipalsTable;
  mailboxes: MailboxesTable;
  calendars: CalendarsTable;
  events: EventsTable;
  mailbox_events: MailboxEventsTable;
  attendance: AttendanceTable;
  resource_identities: ResourceIdentitiesTable;
  sync_inbox: SyncInboxTable;
  score_queue: ScoreQueueTable;
  scored_events: ScoredEventsTable;
  ties: TiesTable;
  tie_degrees: TieDegreesTable;
  scoring_state: ScoringStateTable;
  intro_requests: IntroRequestsTable;
  bot_conversations: BotConversationsTable;
}

export type TableName = keyof Database;

export type TenantRow = Selectable<TenantsTable>;
export type TenantSettingsRow = Selectable<TenantSettingsTable>;
export type PersonRow = Selectable<PeopleTable>;
export type NewPersonRow = Insertable<PeopleTable>;
export type TrackedPrincipalRow = Selectable<TrackedPrincipalsTable>;
export type MailboxRow = Selectable<MailboxesTable>;
export type MailboxRowUpdate = Updateable<MailboxesTable>;
export type CalendarRow = Selectable<CalendarsTable>;
export type EventRow = Selectable<EventsTable>;
export type NewEventRow = Insertable<EventsTable>;
export type MailboxEventRow = Selectable<MailboxEventsTable>;
export type AttendanceRow = Selectable<AttendanceTable>;
export type ResourceIdentityRow = Selectable<ResourceIdentitiesTable>;
export type SyncInboxRow = Selectable<SyncInboxTable>;
export type TieRow = Selectable<TiesTable>;
export type NewTieRow = Insertable<TiesTable>;
export type IntroRequestRow = Selectable<IntroRequestsTable>;
export type BotConversationRow = Selectable<BotConversationsTable>;
