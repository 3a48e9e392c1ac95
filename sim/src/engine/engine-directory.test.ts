import { describe, expect, it } from 'vitest';
import type { GraphGroup, GraphUser } from '../graph-types.js';
import { createTenantEngine } from './index.js';
import { group, person, tenant } from './test-support.js';

const idsOf = (items: Array<GraphUser | GraphGroup>) => items.map((item) => item.id);

function load() {
  return createTenantEngine(
    tenant({
      users: [
        person('ann'),
        person('bob'),
        person('dan'),
        person('eve'),
        person('cat', { mail: null }),
      ],
      groups: [
        group('sales', ['id-ann', 'group-emea']),
        group('emea', ['id-bob', 'group-uk', 'id-dan']),
        group('uk', ['id-dan', 'id-eve']),
        // a cycle: loop-a and loop-b contain each other
        group('loop-a', ['id-ann', 'group-loop-b']),
        group('loop-b', ['id-bob', 'group-loop-a']),
      ],
      rooms: [{ id: 'room-1', emailAddress: 'rainier@contoso.com', displayName: 'Rainier' }],
    }),
  );
}

describe('groups', () => {
  it('lists direct members, users and groups, marked with their @odata.type', () => {
    const members = load().members('group-sales');
    expect(idsOf(members)).toEqual(['id-ann', 'group-emea']);
    expect(members.map((m) => (m as { '@odata.type'?: string })['@odata.type'])).toEqual([
      '#microsoft.graph.user',
      '#microsoft.graph.group',
    ]);
  });

  it('expands nested groups in transitiveMembers, listing groups too and everyone once', () => {
    expect(idsOf(load().transitiveMembers('group-sales'))).toEqual([
      'id-ann',
      'group-emea',
      'id-bob',
      'group-uk',
      'id-dan',
      'id-eve',
    ]);
  });

  it('survives a membership cycle without listing the group itself', () => {
    expect(idsOf(load().transitiveMembers('group-loop-a'))).toEqual([
      'id-ann',
      'group-loop-b',
      'id-bob',
    ]);
  });

  it('reflects added and removed members in members and transitiveMembers', () => {
    const engine = load();
    engine.addGroupMember('group-uk', 'id-cat');
    expect(idsOf(engine.transitiveMembers('group-sales'))).toContain('id-cat');
    engine.removeGroupMember('group-sales', 'group-emea');
    expect(idsOf(engine.members('group-sales'))).toEqual(['id-ann']);
    expect(idsOf(engine.transitiveMembers('group-sales'))).toEqual(['id-ann']);
  });

  it('refuses duplicate, unknown and missing members, and unknown groups', () => {
    const engine = load();
    expect(() => engine.addGroupMember('group-uk', 'id-eve')).toThrow(/already exist/);
    expect(() => engine.addGroupMember('group-uk', 'id-nobody')).toThrow(
      expect.objectContaining({ code: 'InvalidRequest' }) as Error,
    );
    expect(() => engine.removeGroupMember('group-uk', 'id-ann')).toThrow(
      expect.objectContaining({ code: 'MemberNotFound' }) as Error,
    );
    expect(() => engine.members('group-nope')).toThrow(
      expect.objectContaining({ code: 'GroupNotFound' }) as Error,
    );
  });

  it('lists groups in Graph shape, without the tenant file’s members array', () => {
    const groups = load().listGroups();
    expect(groups).toHaveLength(5);
    expect(groups[0]).not.toHaveProperty('members');
    expect(load().findGroup('group-uk')?.displayName).toBe('uk');
  });
});

describe('users', () => {
  it('finds a user by id or by userPrincipalName in any case', () => {
    const engine = load();
    expect(engine.findUser('id-bob')?.mail).toBe('bob@contoso.com');
    expect(engine.findUser('BOB@contoso.COM')?.id).toBe('id-bob');
    expect(engine.findUser('nobody@contoso.com')).toBeUndefined();
  });

  it('lists users in file order, with and without mailboxes, and rooms', () => {
    const engine = load();
    expect(engine.listUsers().map((u) => u.id)).toEqual([
      'id-ann',
      'id-bob',
      'id-dan',
      'id-eve',
      'id-cat',
    ]);
    expect(engine.hasMailbox('id-cat')).toBe(false);
    expect(engine.hasMailbox('ann@contoso.com')).toBe(true);
    expect(engine.listRooms().map((r) => r.emailAddress)).toEqual(['rainier@contoso.com']);
    expect(engine.tenantId).toBe('00000000-0000-4000-8000-000000000001');
  });

  it('hands out copies, so a caller editing a result does not change the tenant', () => {
    const engine = load();
    engine.findUser('id-ann')!.displayName = 'Changed';
    engine.mailboxSettings('id-ann')!.timeZone = 'Changed';
    expect(engine.findUser('id-ann')!.displayName).toBe('Ann');
    expect(engine.mailboxSettings('id-ann')!.timeZone).toBe('UTC');
  });
});
