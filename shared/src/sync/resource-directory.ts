// The addresses of a tenant that are never people: rooms, equipment, shared mailboxes and groups.
// Normalisation leaves them out of attendance; the sync persists them with upsertResourceIdentities.
import type { ResourceIdentityInput, ResourceKind } from '../store/index.js';
import { normalizeEmailAddress } from './mail-domains.js';

/** A room as GET /places/microsoft.graph.room returns it (only the fields used here). */
export interface GraphPlaceRoom {
  emailAddress?: string | null;
  displayName?: string | null;
}

/** A mailbox with the `userPurpose.value` of its GET /users/{id}/mailboxSettings. */
export interface MailboxPurpose {
  email: string;
  /** user, linked, shared, room, equipment, others, … */
  userPurpose: string | null | undefined;
}

/** A group as GET /groups?$select=mail,displayName returns it; groups without mail are ignored. */
export interface GraphGroupMail {
  mail?: string | null;
  displayName?: string | null;
}

export interface ResourceDirectorySources {
  /** resources the store already knows (listResourceIdentities) */
  known?: readonly ResourceIdentityInput[];
  groups?: readonly GraphGroupMail[];
  mailboxes?: readonly MailboxPurpose[];
  rooms?: readonly GraphPlaceRoom[];
}

// linked mailboxes belong to people in another forest; 'others' is too vague to drop a person for
const RESOURCE_KIND_BY_PURPOSE: ReadonlyMap<string, ResourceKind> = new Map([
  ['room', 'room'],
  ['equipment', 'equipment'],
  ['shared', 'shared'],
]);

/** Lookup of resource addresses by lowercase email; later entries for the same address win. */
export class ResourceDirectory {
  readonly #byEmail = new Map<string, ResourceIdentityInput>();

  constructor(entries: Iterable<ResourceIdentityInput> = []) {
    for (const entry of entries) {
      const email = normalizeEmailAddress(entry.email);
      if (email !== undefined) this.#byEmail.set(email, { ...entry, email });
    }
  }

  /** The kind of resource behind an address, or undefined for anyone else. */
  kindOf(email: string): ResourceKind | undefined {
    return this.#byEmail.get(email.trim().toLowerCase())?.kind;
  }

  get size(): number {
    return this.#byEmail.size;
  }

  /** Every entry, shaped for upsertResourceIdentities. */
  entries(): ResourceIdentityInput[] {
    return [...this.#byEmail.values()].map((entry) => ({ ...entry }));
  }
}

/**
 * Builds the directory from what the sync reads from Graph. The more specific source wins when
 * an address appears twice: /places over mailboxSettings over /groups over the store.
 */
export function buildResourceDirectory(sources: ResourceDirectorySources): ResourceDirectory {
  const entries: ResourceIdentityInput[] = [...(sources.known ?? [])];
  for (const group of sources.groups ?? []) {
    if (group.mail) {
      entries.push({
        email: group.mail,
        kind: 'group',
        displayName: group.displayName ?? null,
        source: 'groups',
      });
    }
  }
  for (const mailbox of sources.mailboxes ?? []) {
    const kind = RESOURCE_KIND_BY_PURPOSE.get(mailbox.userPurpose?.toLowerCase() ?? '');
    if (kind !== undefined) entries.push({ email: mailbox.email, kind, source: 'mailboxSettings' });
  }
  for (const room of sources.rooms ?? []) {
    if (room.emailAddress) {
      entries.push({
        email: room.emailAddress,
        kind: 'room',
        displayName: room.displayName ?? null,
        source: 'places',
      });
    }
  }
  return new ResourceDirectory(entries);
}
