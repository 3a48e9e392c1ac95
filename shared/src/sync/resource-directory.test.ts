import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildResourceDirectory,
  ResourceDirectory,
  type GraphPlaceRoom,
} from './resource-directory.js';

const { samples } = JSON.parse(
  readFileSync(new URL('./normalize-graph-samples.json', import.meta.url), 'utf8'),
) as { samples: Record<string, { value: GraphPlaceRoom[] }> };

function sampleRooms(name: string): GraphPlaceRoom[] {
  const sample = samples[name];
  if (sample === undefined) throw new Error(`no Graph sample named ${name}`);
  return sample.value;
}

describe('buildResourceDirectory', () => {
  it('knows the rooms GET /places returns, whatever the case of the address', () => {
    const directory = buildResourceDirectory({
      rooms: [
        ...sampleRooms('place-list__ex1-rooms.json'),
        ...sampleRooms('place-list__ex3-rooms-in-roomlist.json'),
      ],
    });
    expect(directory.kindOf('cf100@contoso.com')).toBe('room');
    expect(directory.kindOf('rainier@m365x214355.onmicrosoft.com')).toBe('room');
    expect(directory.kindOf(' Rainier@M365x214355.onmicrosoft.com ')).toBe('room');
    expect(directory.kindOf('alice@contoso.com')).toBeUndefined();
  });

  it('takes room, equipment and shared mailboxes from userPurpose and leaves people alone', () => {
    const directory = buildResourceDirectory({
      mailboxes: [
        { email: 'oslo@contoso.com', userPurpose: 'room' },
        { email: 'projector@contoso.com', userPurpose: 'equipment' },
        { email: 'sales@contoso.com', userPurpose: 'shared' },
        { email: 'alice@contoso.com', userPurpose: 'user' },
        { email: 'bob@contoso.com', userPurpose: 'linked' },
        { email: 'carol@contoso.com', userPurpose: null },
      ],
    });
    expect(directory.kindOf('oslo@contoso.com')).toBe('room');
    expect(directory.kindOf('projector@contoso.com')).toBe('equipment');
    expect(directory.kindOf('sales@contoso.com')).toBe('shared');
    expect(directory.kindOf('alice@contoso.com')).toBeUndefined();
    expect(directory.kindOf('bob@contoso.com')).toBeUndefined();
    expect(directory.kindOf('carol@contoso.com')).toBeUndefined();
  });

  it('takes groups with a mail address and ignores the rest', () => {
    const directory = buildResourceDirectory({
      groups: [
        { mail: 'All-Staff@contoso.com', displayName: 'All staff' },
        { mail: null, displayName: 'Security group' },
      ],
    });
    expect(directory.kindOf('all-staff@contoso.com')).toBe('group');
    expect(directory.size).toBe(1);
  });

  it('lets /places win over mailboxSettings, groups and what the store knew', () => {
    const directory = buildResourceDirectory({
      known: [{ email: 'board@contoso.com', kind: 'shared', source: 'attendee' }],
      groups: [{ mail: 'board@contoso.com' }],
      mailboxes: [{ email: 'board@contoso.com', userPurpose: 'equipment' }],
      rooms: [{ emailAddress: 'Board@contoso.com', displayName: 'Board room' }],
    });
    expect(directory.entries()).toEqual([
      { email: 'board@contoso.com', kind: 'room', displayName: 'Board room', source: 'places' },
    ]);
  });

  it('skips addresses that are not email addresses', () => {
    const directory = new ResourceDirectory([
      { email: 'not an address', kind: 'room', source: 'places' },
    ]);
    expect(directory.size).toBe(0);
  });
});
