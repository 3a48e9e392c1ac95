import { beforeAll, expect, it } from 'vitest';
import { describeStore } from '@warmpath/shared/store/testing';
import { playgroundConfigYaml } from './agents-playground.js';
import { choosePlaygroundUsers } from './choose-playground-users.js';
import { aadOf, seedBotTenant, type BotTenant } from './testing.js';

describeStore('the Agents Playground users for local chat', (ctx) => {
  let tenant: BotTenant;
  beforeAll(async () => {
    tenant = await seedBotTenant(ctx.store);
  });

  it('makes "me" the colleague asked for and the other tracked colleagues the Playground’s users', async () => {
    const { currentUser, users } = await choosePlaygroundUsers(
      ctx.store.db,
      tenant.tenantId,
      'Finn@contoso.com',
    );
    expect(currentUser).toEqual({
      id: 'user-id-0',
      email: 'finn@contoso.com',
      name: 'Finn Contoso',
      aadObjectId: aadOf('finn@contoso.com'),
    });
    expect(users.map((u) => [u.id, u.email])).toEqual([
      ['user-id-1', 'ana@contoso.com'],
      ['user-id-2', 'dana@contoso.com'],
      ['user-id-3', 'erin@contoso.com'],
    ]);
    const yaml = playgroundConfigYaml({ tenantId: tenant.tenantId, currentUser, users });
    expect(yaml).toContain(`tenantId: "${tenant.tenantId}"`);
    expect(yaml).toContain(`aadObjectId: "${aadOf('finn@contoso.com')}"`);
    // the Playground refuses fewer than five other users: guests fill the list
    expect(yaml.match(/^ {2}- id: /gm)).toHaveLength(5);
  });

  it('says who can be picked when the email is not a tracked colleague', async () => {
    await expect(
      choosePlaygroundUsers(ctx.store.db, tenant.tenantId, 'nobody@contoso.com'),
    ).rejects.toThrow(
      /nobody@contoso\.com is not a tracked colleague: pick one of ana@contoso\.com/,
    );
  });
});
