import type { StoreDb } from '../store/open-store.js';
import type { IntroStatus } from '../store/schema.js';
import { IntroRequestError } from './errors.js';
import { readIntroRequestRow, toIntroRequests } from './intro-request-rows.js';
import type { IntroDecision, IntroRequest } from './types.js';

export interface DecideIntroRequestProps {
  tenantId: string;
  requestId: string;
  /** people.person_id of who decides; only the connector may */
  deciderPersonId: number;
  decision: IntroDecision;
  /** epoch ms; default now */
  now?: number | undefined;
}

export interface DecidedIntroRequest {
  request: IntroRequest;
  /** false when the request already had this decision (a repeated click) */
  changed: boolean;
}

const STATUS_OF: Record<IntroDecision, IntroStatus> = { accept: 'accepted', decline: 'declined' };

/**
 * Records the connector's answer. Deciding the same way twice changes nothing; changing a
 * decision once made is refused, because the requester has already been told.
 */
export async function decideIntroRequest(
  db: StoreDb,
  props: DecideIntroRequestProps,
): Promise<DecidedIntroRequest> {
  const { tenantId, requestId, deciderPersonId } = props;
  const status = STATUS_OF[props.decision];
  if (status === undefined) {
    throw new IntroRequestError(
      'intro_invalid',
      `"${String(props.decision)}" is not a decision (expected "accept" or "decline").`,
    );
  }
  const row = await readIntroRequestRow(db, tenantId, requestId);
  if (row === undefined) {
    throw new IntroRequestError('intro_not_found', 'This intro request does not exist (any more).');
  }
  if (row.connector_person_id !== deciderPersonId) {
    throw new IntroRequestError(
      'intro_forbidden',
      'Only the colleague who was asked for the intro can accept or decline it.',
    );
  }
  // conditional on pending, so two concurrent answers cannot both win
  const result = await db
    .updateTable('intro_requests')
    .set({ status, decided_at: props.now ?? Date.now() })
    .where('tenant_id', '=', tenantId)
    .where('request_id', '=', requestId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  const current = await readIntroRequestRow(db, tenantId, requestId);
  if (current === undefined) {
    throw new IntroRequestError('intro_not_found', 'This intro request does not exist (any more).');
  }
  const [request] = (await toIntroRequests(db, tenantId, [current])) as [IntroRequest];
  if (Number(result.numUpdatedRows) === 1) return { request, changed: true };
  if (current.status === status) return { request, changed: false };
  throw new IntroRequestError(
    'intro_conflict',
    `This intro request was already ${current.status}; the requester has been told.`,
  );
}
