// POST /api/intro-requests: ask a colleague for an introduction; the connector hears of it in
// Teams through the bot's notifier (when it runs), and sees it in the tab either way.
import {
  createIntroRequest as storeIntroRequest,
  MAX_INTRO_NOTE_LENGTH,
} from '@warmpath/shared/intros';
import { z } from 'zod';
import { defineRoute } from './api-route.js';
import { asApiError, requirePerson } from './intro-request-errors.js';
import { DomainText, EmailText, IntroRequest, PersonIdText } from './schemas.js';

export const createIntroRequest = defineRoute({
  method: 'POST',
  path: '/api/intro-requests',
  operationId: 'createIntroRequest',
  summary: 'Ask a colleague (the connector) for an introduction',
  tag: 'intro-requests',
  auth: 'user',
  status: 201,
  body: z
    .object({
      connectorId: PersonIdText,
      target: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('company'), domain: DomainText }).strict(),
        z.object({ kind: z.literal('person'), email: EmailText }).strict(),
      ]),
      note: z
        .string()
        .trim()
        .max(MAX_INTRO_NOTE_LENGTH, `note must be at most ${MAX_INTRO_NOTE_LENGTH} characters`)
        .nullable()
        .optional(),
    })
    .strict(),
  response: IntroRequest.extend({
    /** false: the same request was already pending, and this is it */
    created: z.boolean(),
    /** the connector was told in Teams (false: no bot, or no chat with it yet) */
    connectorNotified: z.boolean(),
  }).meta({ id: 'CreatedIntroRequest' }),
  errors: [403, 404, 409],
  async handle({ body, caller, deps, log }) {
    const requesterPersonId = requirePerson(caller);
    let result;
    try {
      result = await storeIntroRequest(deps.store.db, {
        tenantId: caller.tenantId,
        requesterPersonId,
        connectorPersonId: Number(body.connectorId),
        target: body.target,
        note: body.note ?? null,
      });
    } catch (error) {
      throw asApiError(error);
    }
    let connectorNotified = false;
    if (result.created && deps.notifier) {
      try {
        connectorNotified = await deps.notifier.introRequested(result.request);
      } catch (error) {
        // the request stands and shows in the tab; Teams delivery is best effort
        log.warn(
          { err: error, requestId: result.request.id },
          'could not tell the connector in Teams',
        );
      }
    }
    return { ...result.request, created: result.created, connectorNotified };
  },
});
