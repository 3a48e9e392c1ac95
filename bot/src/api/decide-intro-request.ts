// POST /api/intro-requests/{id}/decision: the connector accepts or declines; the requester hears
// the outcome in Teams through the bot's notifier.
import { decideIntroRequest as storeDecision } from '@warmpath/shared/intros';
import { z } from 'zod';
import { defineRoute } from './api-route.js';
import { asApiError, requirePerson } from './intro-request-errors.js';
import { IntroRequest } from './schemas.js';

export const decideIntroRequest = defineRoute({
  method: 'POST',
  path: '/api/intro-requests/{id}/decision',
  operationId: 'decideIntroRequest',
  summary: 'The connector accepts or declines an intro request',
  tag: 'intro-requests',
  auth: 'user',
  params: z.object({ id: z.uuid('id must be an intro request id (a UUID)') }),
  body: z.object({ decision: z.enum(['accept', 'decline']) }).strict(),
  response: IntroRequest.extend({
    /** false: it was already decided this way */
    changed: z.boolean(),
    requesterNotified: z.boolean(),
  }).meta({ id: 'DecidedIntroRequest' }),
  errors: [403, 404, 409],
  async handle({ params, body, caller, deps, log }) {
    const deciderPersonId = requirePerson(caller);
    let result;
    try {
      result = await storeDecision(deps.store.db, {
        tenantId: caller.tenantId,
        requestId: params.id,
        deciderPersonId,
        decision: body.decision,
      });
    } catch (error) {
      throw asApiError(error);
    }
    let requesterNotified = false;
    if (result.changed && deps.notifier) {
      try {
        requesterNotified = await deps.notifier.introDecided(result.request);
      } catch (error) {
        log.warn(
          { err: error, requestId: result.request.id },
          'could not tell the requester in Teams',
        );
      }
    }
    return { ...result.request, changed: result.changed, requesterNotified };
  },
});
