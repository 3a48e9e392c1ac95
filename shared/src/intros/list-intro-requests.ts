import type { StoreDb } from '../store/open-store.js';
import { readIntroRequestRow, toIntroRequests } from './intro-request-rows.js';
import type { IntroRequest } from './types.js';

/** Most requests returned per direction; older ones are rarely looked at. */
export const MAX_LISTED_INTRO_REQUESTS = 100;

export interface ListIntroRequestsProps {
  tenantId: string;
  /** people.person_id whose requests to list */
  personId: number;
  /** per direction, at most MAX_LISTED_INTRO_REQUESTS */
  limit?: number | undefined;
}

export interface IntroRequestLists {
  /** requests the person made, newest first */
  sent: IntroRequest[];
  /** requests asking the person for an intro, newest first */
  received: IntroRequest[];
}

/** The person's sent and received intro requests. */
export async function listIntroRequests(
  db: StoreDb,
  props: ListIntroRequestsProps,
): Promise<IntroRequestLists> {
  const limit = Math.max(
    1,
    Math.min(props.limit ?? MAX_LISTED_INTRO_REQUESTS, MAX_LISTED_INTRO_REQUESTS),
  );
  const list = (column: 'requester_person_id' | 'connector_person_id') =>
    db
      .selectFrom('intro_requests')
      .selectAll()
      .where('tenant_id', '=', props.tenantId)
      .where(column, '=', props.personId)
      .orderBy('created_at', 'desc')
      .orderBy('request_id')
      .limit(limit)
      .execute();
  const [sent, received] = await Promise.all([
    list('requester_person_id'),
    list('connector_person_id'),
  ]);
  return {
    sent: await toIntroRequests(db, props.tenantId, sent),
    received: await toIntroRequests(db, props.tenantId, received),
  };
}

/** One of the tenant's intro requests, or undefined; callers check the viewer is requester or connector. */
export async function getIntroRequest(
  db: StoreDb,
  tenantId: string,
  requestId: string,
): Promise<IntroRequest | undefined> {
  const row = await readIntroRequestRow(db, tenantId, requestId);
  if (row === undefined) return undefined;
  const [request] = await toIntroRequests(db, tenantId, [row]);
  return request;
}
