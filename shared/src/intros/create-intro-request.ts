import { randomUUID } from 'node:crypto';
import { companyNameFromDomain, personName } from '../scoring/company-names.js';
import type { StoreDb } from '../store/open-store.js';
import { IntroRequestError } from './errors.js';
import { readIntroRequestRow, toIntroRequests } from './intro-request-rows.js';
import type { IntroRequest } from './types.js';

/** Longest note a requester may add; enough for a sentence or two of context. */
export const MAX_INTRO_NOTE_LENGTH = 500;

const DOMAIN = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface CreateIntroRequestProps {
  tenantId: string;
  /** people.person_id of who asks */
  requesterPersonId: number;
  /** people.person_id of the colleague asked to make the introduction */
  connectorPersonId: number;
  /** whom to be introduced to; `name` defaults to what the store knows */
  target:
    | { kind: 'company'; domain: string; name?: string | undefined }
    | { kind: 'person'; email: string; name?: string | undefined };
  /** optional context for the connector, at most MAX_INTRO_NOTE_LENGTH characters */
  note?: string | null | undefined;
  /** epoch ms; default now */
  now?: number | undefined;
}

export interface CreatedIntroRequest {
  request: IntroRequest;
  /** false when the same requester already had a pending request to this connector for this target */
  created: boolean;
}

async function internalPerson(db: StoreDb, tenantId: string, personId: number, role: string) {
  const person = await db
    .selectFrom('people')
    .select(['person_id', 'kind', 'left_at'])
    .where('tenant_id', '=', tenantId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  if (person === undefined) {
    throw new IntroRequestError(
      'intro_not_found',
      `The ${role} is not in this organisation's directory.`,
    );
  }
  if (person.kind !== 'internal' || person.left_at !== null) {
    throw new IntroRequestError(
      'intro_invalid',
      `The ${role} must be a current colleague in this organisation's directory.`,
    );
  }
}

/**
 * Stores a pending intro request from one colleague to another. Asking again for the same target
 * while the first request is pending returns that request instead of a duplicate.
 */
export async function createIntroRequest(
  db: StoreDb,
  props: CreateIntroRequestProps,
): Promise<CreatedIntroRequest> {
  const { tenantId, requesterPersonId, connectorPersonId } = props;
  if (requesterPersonId === connectorPersonId) {
    throw new IntroRequestError(
      'intro_invalid',
      'You are the connector on this path: reach out to them directly.',
    );
  }
  const note = props.note?.trim() ? props.note.trim() : null;
  if (note !== null && note.length > MAX_INTRO_NOTE_LENGTH) {
    throw new IntroRequestError(
      'intro_invalid',
      `The note is ${note.length} characters long; keep it to ${MAX_INTRO_NOTE_LENGTH}.`,
    );
  }

  let targetDomain: string | null;
  let targetEmail: string | null = null;
  let targetName: string;
  if (props.target.kind === 'company') {
    targetDomain = props.target.domain.trim().toLowerCase();
    if (!DOMAIN.test(targetDomain)) {
      throw new IntroRequestError(
        'intro_invalid',
        `"${props.target.domain}" is not a company domain (expected something like acme.com).`,
      );
    }
    targetName = props.target.name?.trim() || companyNameFromDomain(targetDomain);
  } else {
    targetEmail = props.target.email.trim().toLowerCase();
    if (!EMAIL.test(targetEmail)) {
      throw new IntroRequestError(
        'intro_invalid',
        `"${props.target.email}" is not an email address (expected name@company.com).`,
      );
    }
    const known = await db
      .selectFrom('people')
      .select(['display_name', 'domain', 'is_personal_domain'])
      .where('tenant_id', '=', tenantId)
      .where('email', '=', targetEmail)
      .executeTakeFirst();
    targetDomain = known !== undefined && known.is_personal_domain === 0 ? known.domain : null;
    targetName = props.target.name?.trim() || personName(known?.display_name ?? null, targetEmail);
  }

  await internalPerson(db, tenantId, requesterPersonId, 'requester');
  await internalPerson(db, tenantId, connectorPersonId, 'connector');

  let pending = db
    .selectFrom('intro_requests')
    .select('request_id')
    .where('tenant_id', '=', tenantId)
    .where('requester_person_id', '=', requesterPersonId)
    .where('connector_person_id', '=', connectorPersonId)
    .where('status', '=', 'pending')
    .where('target_kind', '=', props.target.kind);
  pending =
    props.target.kind === 'company'
      ? pending.where('target_domain', '=', targetDomain)
      : pending.where('target_email', '=', targetEmail);
  const existing = await pending.executeTakeFirst();
  if (existing !== undefined) {
    const row = await readIntroRequestRow(db, tenantId, existing.request_id);
    if (row !== undefined) {
      const [request] = await toIntroRequests(db, tenantId, [row]);
      return { request: request as IntroRequest, created: false };
    }
  }

  const row = {
    tenant_id: tenantId,
    request_id: randomUUID(),
    requester_person_id: requesterPersonId,
    connector_person_id: connectorPersonId,
    target_kind: props.target.kind,
    target_domain: targetDomain,
    target_email: targetEmail,
    target_name: targetName,
    note,
    status: 'pending' as const,
    created_at: props.now ?? Date.now(),
    decided_at: null,
  };
  await db.insertInto('intro_requests').values(row).execute();
  const [request] = await toIntroRequests(db, tenantId, [row]);
  return { request: request as IntroRequest, created: true };
}
