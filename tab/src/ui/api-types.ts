// The REST answers the tab and the add-in read (docs/api.md). The scoring shapes come from the
// service's own types, so the front ends and the service cannot drift apart.
import type {
  Coverage,
  IntroAnswer,
  IntroPath,
  PersonRef,
  TieLabel,
} from '@warmpath/shared/scoring';

export type { Coverage, IntroAnswer, IntroPath, PersonRef, TieLabel };

export interface ApiErrorBody {
  /** consent_required answers carry adminConsentUrl */
  error: { code: string; message: string; adminConsentUrl?: string };
}

export interface Me {
  tenantId: string;
  displayName: string;
  userPrincipalName: string;
  person: PersonRef | null;
  isAdmin: boolean;
  /** the admin roles found, e.g. "Global Administrator" */
  roles: string[];
  tracked: boolean;
}

export interface ParticipantCompany {
  name: string;
  domain: string;
  people: { email: string; displayName: string }[];
  paths: IntroPath[];
  reason?: string;
}

export interface ParticipantsAnswer {
  companies: ParticipantCompany[];
  /** contacts on personal mail domains, answered one by one */
  people: { email: string; displayName: string; paths: IntroPath[]; reason?: string }[];
  /** how many of the addresses asked about were colleagues */
  internal: number;
  coverage: Coverage;
}

export type SearchResult =
  | { kind: 'company'; name: string; domain: string }
  | { kind: 'person'; id: string; name: string; email: string; domain?: string };

export interface CompanyContact {
  id: string;
  email: string;
  displayName: string;
  knownBy: number;
  strongest: { strength: number; label: TieLabel };
}

export interface CompanyPage {
  company: { name: string; domain: string };
  paths: IntroPath[];
  contacts: CompanyContact[];
  coverage: Coverage;
}

/** One meeting behind a score: when and how big, never what it was about. */
export interface MeetingFact {
  startAt: string;
  endAt: string;
  allDay: boolean;
  people: number;
  oneOnOne: boolean;
  online: boolean;
  recurring: boolean;
  contacts: string[];
}

export interface PersonPage {
  person: PersonRef & { domain?: string; internal: boolean };
  paths: IntroPath[];
  coverage: Coverage;
}

export type IntroTargetRef =
  { kind: 'company'; domain: string } | { kind: 'person'; email: string };

export interface IntroRequest {
  id: string;
  requester: PersonRef;
  connector: PersonRef;
  target: IntroTargetRef;
  note: string | null;
  status: 'pending' | 'accepted' | 'declined';
  createdAt: string;
  decidedAt: string | null;
}

export interface AdminConsent {
  granted: boolean;
  adminConsentUrl: string;
}

export interface AdminSettings {
  syncPrivateAppointments: boolean;
  onlyOnlineMeetings: boolean;
  lookBackMonths: number;
  lookAheadMonths: number;
  maxCalendarsPerMailbox: number;
  excludedDomains: string[];
  excludedAddresses: string[];
}

export interface TrackedPrincipal {
  id: string;
  kind: 'user' | 'group';
  displayName: string;
  email: string | null;
  mailboxes: number;
}

export interface DirectoryEntry {
  id: string;
  kind: 'user' | 'group';
  displayName: string;
  email: string | null;
}

export type MailboxState = 'pending' | 'syncing' | 'synced' | 'error' | 'removed' | (string & {});

export interface MailboxSync {
  userId: string;
  userPrincipalName: string;
  displayName: string | null;
  state: MailboxState;
  eventsStored: number;
  /** 0–1 during a first round */
  progress: number | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  /** after an error: when the sync tries again */
  nextAttemptAt?: string | null;
}

export interface SyncDashboard {
  coverage: Coverage;
  mailboxes: MailboxSync[];
}

export interface LocalUser {
  upn: string;
  displayName: string;
  isAdmin: boolean;
}
