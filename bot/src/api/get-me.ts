// GET /api/me: who the token is, mapped to the directory person, with admin standing read from
// Graph on the caller's behalf (so the tab knows whether to show the admin console).
import { z } from 'zod';
import { defineRoute } from './api-route.js';
import { PersonRef } from './schemas.js';

export const getMe = defineRoute({
  method: 'GET',
  path: '/api/me',
  operationId: 'getMe',
  summary: 'Who the caller is, whether they are an admin, and whether their mailbox is tracked',
  tag: 'me',
  auth: 'user',
  response: z
    .object({
      tenantId: z.string(),
      displayName: z.string(),
      userPrincipalName: z.string(),
      person: PersonRef.nullable(),
      isAdmin: z.boolean(),
      roles: z.array(z.string()),
      tracked: z.boolean(),
    })
    .meta({ id: 'Me' }),
  errors: [403, 503],
  async handle({ caller, deps }) {
    const view = await deps.directoryView(caller);
    const mailbox = await deps.store.db
      .selectFrom('mailboxes')
      .select('state')
      .where('tenant_id', '=', caller.tenantId)
      .where('user_id', '=', caller.objectId)
      .executeTakeFirst();
    const person = caller.person;
    return {
      tenantId: caller.tenantId,
      displayName: view.profile.displayName,
      userPrincipalName: view.profile.userPrincipalName,
      person: person
        ? {
            id: String(person.personId),
            displayName: person.displayName ?? person.email,
            email: person.email,
          }
        : null,
      isAdmin: view.isAdmin,
      roles: view.roles,
      tracked: mailbox !== undefined && mailbox.state !== 'removed',
    };
  },
});
