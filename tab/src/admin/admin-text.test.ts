import { describe, expect, it } from 'vitest';
import { parseList } from './SettingsForm.js';
import { mailboxStatusText } from './SyncDashboard.js';

const mailbox = {
  userId: 'u1',
  userPrincipalName: 'dana@contoso.com',
  displayName: 'Dana',
  eventsStored: 0,
  progress: null,
  lastSuccessAt: null,
  lastError: null,
};

describe('admin console text', () => {
  it('reads excluded domains and addresses one a line or comma separated', () => {
    expect(parseList(' LawFirm.com\n\nbank.example, ceo@contoso.com ;x.io ')).toEqual([
      'lawfirm.com',
      'bank.example',
      'ceo@contoso.com',
      'x.io',
    ]);
  });

  it('puts each mailbox state in words, with the error the service gave', () => {
    expect(mailboxStatusText({ ...mailbox, state: 'pending' })).toBe('Waiting for its first sync');
    expect(mailboxStatusText({ ...mailbox, state: 'syncing', progress: 0.42 })).toBe(
      'Syncing, 42% done',
    );
    expect(
      mailboxStatusText({ ...mailbox, state: 'error', lastError: 'The mailbox is not enabled.' }),
    ).toBe('Not syncing: The mailbox is not enabled.');
  });
});
