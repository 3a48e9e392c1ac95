import { describe, expect, it } from 'vitest';
import { mailboxFromPath } from './mailbox.js';

describe('mailboxFromPath', () => {
  it('attributes Outlook paths below /users/{id} to that user', () => {
    expect(mailboxFromPath('/users/A1B2/calendarView/delta?startDateTime=x')).toBe('a1b2');
    expect(mailboxFromPath('users/a1b2/calendars/c1/calendarView')).toBe('a1b2');
    expect(mailboxFromPath('/users/Adele.Vance%40contoso.com/mailboxSettings')).toBe(
      'adele.vance@contoso.com',
    );
  });

  it('attributes no mailbox to directory paths', () => {
    expect(mailboxFromPath('/users')).toBeUndefined();
    expect(mailboxFromPath('/users?$top=5')).toBeUndefined();
    expect(mailboxFromPath('/users/a1b2')).toBeUndefined();
    expect(mailboxFromPath('/groups/g1/transitiveMembers')).toBeUndefined();
    expect(mailboxFromPath('/$batch')).toBeUndefined();
  });
});
