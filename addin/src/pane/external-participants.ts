// Which addresses the pane asks WarmPath about: each once, never the user, never a colleague on
// the user's own domain (the service also drops the tenant's other domains).
import type { Participant } from '../office/read-participants.js';

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

export interface ParticipantSplit {
  /** external addresses, lower-cased, first appearance first */
  external: { email: string; displayName: string }[];
  /** colleagues on the user's domain (the user included) */
  internal: number;
}

export function splitParticipants(
  participants: Participant[],
  userEmail: string | null,
): ParticipantSplit {
  const ownDomain = userEmail ? domainOf(userEmail) : null;
  const seen = new Set<string>();
  const external: ParticipantSplit['external'] = [];
  let internal = 0;
  for (const participant of participants) {
    const email = participant.email.trim().toLowerCase();
    if (!ADDRESS.test(email) || seen.has(email)) continue;
    seen.add(email);
    if (ownDomain !== null && domainOf(email) === ownDomain) {
      internal += 1;
      continue;
    }
    external.push({ email, displayName: participant.displayName });
  }
  return { external, internal };
}

/** The name to show: the service's when it knows one, else the one Outlook showed. */
export function shownName(
  person: { email: string; displayName: string },
  split: ParticipantSplit,
): string {
  if (person.displayName && person.displayName.toLowerCase() !== person.email.toLowerCase()) {
    return person.displayName;
  }
  const fromOutlook = split.external.find((entry) => entry.email === person.email.toLowerCase());
  return fromOutlook?.displayName || person.email;
}
