// GET /api/companies/{domain}/meetings?connector=: the meetings behind a connector's tie to a
// company, so a requester sees why the score is what it is. Metadata only: never subjects, bodies
// or places (the store holds none), and never meetings the connector marked private.
import { z } from 'zod';
import { defineRoute } from './api-route.js';
import { DomainText, PersonIdText } from './schemas.js';

/** Most meetings listed, newest first. */
export const MAX_LISTED_MEETINGS = 200;

export const listCompanyMeetings = defineRoute({
  method: 'GET',
  path: '/api/companies/{domain}/meetings',
  operationId: 'listCompanyMeetings',
  summary: "The meetings behind a connector's tie to a company (metadata only)",
  tag: 'directory',
  auth: 'user',
  params: z.object({ domain: DomainText }),
  query: z.object({ connector: PersonIdText }),
  response: z
    .object({
      meetings: z.array(
        z.object({
          startAt: z.string(),
          endAt: z.string(),
          allDay: z.boolean(),
          people: z.number().int(),
          oneOnOne: z.boolean(),
          online: z.boolean(),
          recurring: z.boolean(),
          contacts: z.array(z.string()),
        }),
      ),
    })
    .meta({ id: 'CompanyMeetings' }),
  async handle({ params, query, caller, deps }) {
    const tenantId = caller.tenantId;
    const connectorId = Number(query.connector);
    const rows = await deps.store.db
      .selectFrom('events as e')
      .innerJoin('attendance as mine', (join) =>
        join
          .onRef('mine.tenant_id', '=', 'e.tenant_id')
          .onRef('mine.event_id', '=', 'e.event_id')
          .on('mine.person_id', '=', connectorId),
      )
      .innerJoin('attendance as theirs', (join) =>
        join
          .onRef('theirs.tenant_id', '=', 'e.tenant_id')
          .onRef('theirs.event_id', '=', 'e.event_id'),
      )
      .innerJoin('people as p', (join) =>
        join
          .onRef('p.tenant_id', '=', 'theirs.tenant_id')
          .onRef('p.person_id', '=', 'theirs.person_id'),
      )
      .select([
        'e.event_id',
        'e.start_at',
        'e.end_at',
        'e.is_all_day',
        'e.participant_count',
        'e.is_online',
        'e.series_key',
        'p.email',
      ])
      .where('e.tenant_id', '=', tenantId)
      .where('p.domain', '=', params.domain)
      .where('p.kind', '=', 'external')
      .where('e.is_cancelled', '=', 0)
      .where('e.is_private', '=', 0)
      .orderBy('e.start_at', 'desc')
      .orderBy('e.event_id')
      .limit(MAX_LISTED_MEETINGS * 10)
      .execute();
    const meetings = new Map<
      number,
      {
        startAt: string;
        endAt: string;
        allDay: boolean;
        people: number;
        oneOnOne: boolean;
        online: boolean;
        recurring: boolean;
        contacts: string[];
      }
    >();
    for (const row of rows) {
      const id = Number(row.event_id);
      const meeting = meetings.get(id);
      if (meeting) {
        if (!meeting.contacts.includes(row.email)) meeting.contacts.push(row.email);
        continue;
      }
      if (meetings.size >= MAX_LISTED_MEETINGS) continue;
      meetings.set(id, {
        startAt: new Date(Number(row.start_at)).toISOString(),
        endAt: new Date(Number(row.end_at)).toISOString(),
        allDay: Number(row.is_all_day) === 1,
        people: Number(row.participant_count),
        oneOnOne: Number(row.participant_count) === 2,
        online: Number(row.is_online) === 1,
        recurring: row.series_key !== null,
        contacts: [row.email],
      });
    }
    return { meetings: [...meetings.values()] };
  },
});
