// From the simulator's fixture tenant through the real sync to intro paths: rooms and group
// mailboxes never become people, and a personal-mail contact is a person but never a company.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { upsertTenant } from '../store/index.js';
import { describeStore } from '../store/testing.js';
import { createGraphTenantDirectory } from '../sync/graph-tenant-directory.js';
import { runSyncRound } from '../sync/run-sync-round.js';
import {
  fixtureTenant,
  startSyncSimulator,
  uniqueTenantId,
  type SyncSimulator,
} from '../sync/testing.js';
import { trackPrincipals } from '../sync/track-principals.js';
import { findIntroPaths } from './find-intro-paths.js';
import { introPathsFor } from './intro-paths.js';
import { refreshTies } from './ties.js';

const ROOM = 'rainier@contoso.com';
const GROUP = 'falcon@contoso.com';

describeStore('the fixture tenant, synced and scored', (ctx) => {
  let sim: SyncSimulator;
  beforeAll(async () => {
    sim = await startSyncSimulator(fixtureTenant());
  });
  afterAll(() => sim.close());

  it('ties people only: never a room or a group mailbox, and gmail is no company', async () => {
    const tenantId = uniqueTenantId('fixture-scores');
    await upsertTenant(ctx.store.db, tenantId, { displayName: 'Contoso' });
    await trackPrincipals({
      store: ctx.store,
      directory: createGraphTenantDirectory(sim.graph()),
      tenantId,
      references: ['all'],
    });
    expect((await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId })).failed).toBe(0);
    // the fixture's meetings sit around its own dates: score them as of a year after
    const now = Date.UTC(2027, 0, 1);
    await refreshTies(ctx.store, tenantId, { now });

    const ties = await ctx.store.db
      .selectFrom('ties as t')
      .innerJoin('people as a', (j) =>
        j.onRef('a.tenant_id', '=', 't.tenant_id').onRef('a.person_id', '=', 't.person_id'),
      )
      .innerJoin('people as b', (j) =>
        j.onRef('b.tenant_id', '=', 't.tenant_id').onRef('b.person_id', '=', 't.other_id'),
      )
      .select(['a.email as person', 'b.email as other', 't.other_domain'])
      .where('t.tenant_id', '=', tenantId)
      .execute();
    expect(ties.length).toBeGreaterThan(0);
    const everyone = new Set(ties.flatMap((tie) => [tie.person, tie.other]));
    expect(everyone.has(ROOM)).toBe(false);
    expect(everyone.has(GROUP)).toBe(false);
    const advisor = ties.filter((tie) => tie.other === 'jamie.reyes.advisor@gmail.com');
    expect(advisor.length).toBeGreaterThan(0);
    expect(advisor.every((tie) => tie.other_domain === null)).toBe(true);

    const gmail = await introPathsFor(ctx.store, {
      tenantId,
      target: { kind: 'company', domain: 'gmail.com', name: 'Gmail' },
      now,
    });
    expect(gmail.paths).toEqual([]);
    const fabrikam = await introPathsFor(ctx.store, {
      tenantId,
      target: { kind: 'company', domain: 'fabrikam.com', name: 'Fabrikam' },
      now,
    });
    expect(fabrikam.paths[0]?.connector.email).toBe('adele.vance@contoso.com');
    const shown = fabrikam.paths.flatMap((path) => [
      path.connector.email,
      ...path.contacts.map((c) => c.email),
    ]);
    expect(shown).not.toContain(ROOM);
    expect(shown).not.toContain(GROUP);
    expect(fabrikam.coverage.mailboxesSynced).toBe(fabrikam.coverage.mailboxesTracked);
  });

  it('answers the text people type: names with typos, URLs, addresses, and says why when nothing', async () => {
    const tenantId = uniqueTenantId('fixture-find');
    await upsertTenant(ctx.store.db, tenantId, {
      displayName: 'Contoso',
      verifiedDomains: ['contoso.com'],
    });
    await trackPrincipals({
      store: ctx.store,
      directory: createGraphTenantDirectory(sim.graph()),
      tenantId,
      references: ['all'],
    });
    await runSyncRound({ store: ctx.store, graph: sim.graph(), tenantId });
    const now = Date.UTC(2027, 0, 1);
    await refreshTies(ctx.store, tenantId, { now });
    const ask = (target: string) => findIntroPaths(ctx.store, { tenantId, target, now });

    for (const text of ['Fabrikam', 'fabrikm', 'https://www.fabrikam.com/about', 'fabrikam.com']) {
      const answer = await ask(text);
      expect(answer.target, text).toEqual({
        kind: 'company',
        name: expect.any(String),
        domain: 'fabrikam.com',
      });
      expect(answer.paths[0]?.connector.email, text).toBe('adele.vance@contoso.com');
    }
    const kim = await ask('kim.akers@fabrikam.com');
    expect(kim.target).toMatchObject({ kind: 'person', email: 'kim.akers@fabrikam.com' });
    expect(kim.paths[0]?.contacts.map((c) => c.email)).toEqual(['kim.akers@fabrikam.com']);

    const unknown = await ask('Globex Corporation');
    expect(unknown.target).toBeNull();
    expect(unknown.paths).toEqual([]);
    expect(unknown.reason).toMatch(/\S/);
    expect(unknown.coverage.mailboxesTracked).toBeGreaterThan(0);
  });
});
