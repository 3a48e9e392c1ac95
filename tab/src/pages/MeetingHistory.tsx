import {
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import type { ApiClient } from '../ui/index.js';
import { ErrorNotice, plural, shortDate, timeRange, useAsync } from '../ui/index.js';

/** The meetings behind one connector's score with a company: when and how big, never what. */
export function MeetingHistory({
  api,
  domain,
  connectorId,
  connectorName,
}: {
  api: ApiClient;
  domain: string;
  connectorId: string;
  connectorName: string;
}) {
  const history = useAsync(
    () => api.companyMeetings(domain, connectorId),
    [api, domain, connectorId],
  );
  if (history.status === 'loading') return <Spinner size="tiny" label="Loading meetings…" />;
  if (history.status === 'failed')
    return <ErrorNotice error={history.error} onRetry={history.reload} />;
  const meetings = history.value.meetings;
  if (meetings.length === 0) return <Text>No meetings on record.</Text>;
  return (
    <Table
      size="small"
      aria-label={`Meetings between ${connectorName} and ${domain}`}
      data-testid="meeting-history"
    >
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Date</TableHeaderCell>
          <TableHeaderCell>Time</TableHeaderCell>
          <TableHeaderCell>Size</TableHeaderCell>
          <TableHeaderCell>Kind</TableHeaderCell>
          <TableHeaderCell>Their people</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {meetings.map((meeting) => (
          <TableRow key={`${meeting.startAt}-${meeting.contacts.join(',')}`}>
            <TableCell>{shortDate(meeting.startAt)}</TableCell>
            <TableCell>{timeRange(meeting.startAt, meeting.endAt, meeting.allDay)}</TableCell>
            <TableCell>
              {meeting.oneOnOne ? 'one-on-one' : plural(meeting.people, 'person', 'people')}
            </TableCell>
            <TableCell>
              {[meeting.online ? 'online' : 'in person', meeting.recurring ? 'recurring' : null]
                .filter(Boolean)
                .join(', ')}
            </TableCell>
            <TableCell>{meeting.contacts.join(', ')}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
