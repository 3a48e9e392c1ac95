// GET /api/intro-requests: the caller's sent and received intro requests, newest first.
import { listIntroRequests as readIntroRequests } from '@warmpath/shared/intros';
import { z } from 'zod';
import { defineRoute } from './api-route.js';
import { IntroRequest } from './schemas.js';

export const listIntroRequests = defineRoute({
  method: 'GET',
  path: '/api/intro-requests',
  operationId: 'listIntroRequests',
  summary: "The caller's sent and received intro requests",
  tag: 'intro-requests',
  auth: 'user',
  response: z
    .object({ sent: z.array(IntroRequest), received: z.array(IntroRequest) })
    .meta({ id: 'IntroRequestLists' }),
  async handle({ caller, deps }) {
    if (caller.person === undefined) return { sent: [], received: [] };
    return readIntroRequests(deps.store.db, {
      tenantId: caller.tenantId,
      personId: caller.person.personId,
    });
  },
});
