// What an intro request is, as every front end and the REST API show it (docs/api.md).
import type { IntroStatus } from '../store/schema.js';

export type { IntroStatus } from '../store/schema.js';

/** Someone in the tenant's directory; `id` is people.person_id as text, as in IntroAnswer. */
export interface IntroPerson {
  id: string;
  displayName: string;
  email: string;
}

/** Whom the requester wants to meet. `name` is for people to read; the key is domain or email. */
export type IntroRequestTarget =
  | { kind: 'company'; domain: string; name: string }
  | { kind: 'person'; email: string; name: string; domain?: string };

export interface IntroRequest {
  /** random UUID */
  id: string;
  tenantId: string;
  requester: IntroPerson;
  connector: IntroPerson;
  target: IntroRequestTarget;
  /** the requester's own words to the connector */
  note: string | null;
  status: IntroStatus;
  /** ISO 8601 */
  createdAt: string;
  /** ISO 8601; null while pending */
  decidedAt: string | null;
}

export type IntroDecision = 'accept' | 'decline';

/**
 * Tells people about intro requests where they work (the Teams bot). Each method answers whether
 * the person was reached; false means they have no conversation with the bot yet, and the request
 * still stands, visible in the tab and the add-in.
 */
export interface IntroNotifier {
  /** tells the connector that someone asks them for an intro, with Accept / Decline */
  introRequested(request: IntroRequest): Promise<boolean>;
  /** tells the requester what the connector decided */
  introDecided(request: IntroRequest): Promise<boolean>;
}
