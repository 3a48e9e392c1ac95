// GET /api/intros?target=: the question every front end asks (contracts.md), answered by the
// scoring's findIntroPaths for the caller.
import { findIntroPaths } from '@warmpath/shared/scoring';
import { z } from 'zod';
import { defineRoute } from './api-route.js';
import { IntroAnswer } from './schemas.js';

/** Longest target text accepted; company names, addresses and URLs fit well within it. */
export const MAX_TARGET_LENGTH = 200;

export const findIntros = defineRoute({
  method: 'GET',
  path: '/api/intros',
  operationId: 'findIntros',
  summary: 'Who can introduce the caller to a company or person',
  tag: 'intros',
  auth: 'user',
  query: z.object({
    target: z
      .string()
      .trim()
      .min(1, 'target must name a company, domain, URL, email address or person')
      .max(MAX_TARGET_LENGTH, `target must be at most ${MAX_TARGET_LENGTH} characters`),
  }),
  response: IntroAnswer,
  async handle({ query, caller, deps }) {
    return findIntroPaths(deps.store, {
      tenantId: caller.tenantId,
      target: query.target,
      callerPersonId: caller.person?.personId,
    });
  },
});
