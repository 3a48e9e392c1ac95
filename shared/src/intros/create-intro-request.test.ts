import { expect, it } from 'vitest';
import { describeStore } from '../store/testing.js';
import { createIntroRequest, MAX_INTRO_NOTE_LENGTH } from './create-intro-request.js';
import { IntroRequestError } from './errors.js';
import { seedColleagues } from './testing.js';

describeStore('createIntroRequest', (ctx) => {
  it('stores a pending company request with both people and a readable company name', async () => {
    const tenantId = await ctx.newTenant();
    const p = await seedColleagues(ctx.store.db, tenantId);
    const { request, created } = await createIntroRequest(ctx.store.db, {
      tenantId,
      requesterPersonId: p.ana,
      connectorPersonId: p.ben,
      target: { kind: 'company', domain: 'Acme-Corp.com' },
      note: '  Renewal in March  ',
      now: Date.UTC(2026, 0, 2),
    });
    expect(created).toBe(true);
    expect(request).toMatchObject({
      tenantId,
      requester: { id: String(p.ana), displayName: 'Ana Silva', email: 'ana@contoso.com' },
      connector: { id: String(p.ben), displayName: 'Ben Okafor', email: 'ben@contoso.com' },
      target: { kind: 'company', domain: 'acme-corp.com', name: 'Acme Corp' },
      note: 'Renewal in March',
      status: 'pending',
      createdAt: '2026-01-02T00:00:00.000Z',
      decidedAt: null,
    });
    expect(request.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('names a person target from the directory and keeps their company domain', async () => {
    const tenantId = await ctx.newTenant();
    const p = await seedColleagues(ctx.store.db, tenantId);
    const { request } = await createIntroRequest(ctx.store.db, {
      tenantId,
      requesterPersonId: p.ana,
      connectorPersonId: p.ben,
      target: { kind: 'person', email: 'JANE@acme.com' },
    });
    expect(request.target).toEqual({
      kind: 'person',
      email: 'jane@acme.com',
      name: 'Jane Doe',
      domain: 'acme.com',
    });
    expect(request.note).toBeNull();
  });

  it('returns the pending request instead of a duplicate when asked twice', async () => {
    const tenantId = await ctx.newTenant();
    const p = await seedColleagues(ctx.store.db, tenantId);
    const ask = () =>
      createIntroRequest(ctx.store.db, {
        tenantId,
        requesterPersonId: p.ana,
        connectorPersonId: p.ben,
        target: { kind: 'company', domain: 'acme.com', name: 'Acme' },
      });
    const first = await ask();
    const second = await ask();
    expect(second.created).toBe(false);
    expect(second.request.id).toBe(first.request.id);
    const rows = await ctx.store.db
      .selectFrom('intro_requests')
      .select('request_id')
      .where('tenant_id', '=', tenantId)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses asking yourself, external connectors, unknown people, bad targets and long notes', async () => {
    const tenantId = await ctx.newTenant();
    const p = await seedColleagues(ctx.store.db, tenantId);
    const base = {
      tenantId,
      requesterPersonId: p.ana,
      connectorPersonId: p.ben,
      target: { kind: 'company' as const, domain: 'acme.com' },
    };
    const attempts: [Parameters<typeof createIntroRequest>[1], string, RegExp][] = [
      [{ ...base, connectorPersonId: p.ana }, 'intro_invalid', /reach out to them directly/],
      [{ ...base, connectorPersonId: p.jane }, 'intro_invalid', /current colleague/],
      [{ ...base, connectorPersonId: 999_999 }, 'intro_not_found', /connector is not in/],
      [{ ...base, requesterPersonId: 999_999 }, 'intro_not_found', /requester is not in/],
      [
        { ...base, target: { kind: 'company', domain: 'not a domain' } },
        'intro_invalid',
        /not a company domain/,
      ],
      [
        { ...base, target: { kind: 'person', email: 'jane' } },
        'intro_invalid',
        /not an email address/,
      ],
      [{ ...base, note: 'x'.repeat(MAX_INTRO_NOTE_LENGTH + 1) }, 'intro_invalid', /keep it to 500/],
    ];
    for (const [props, code, message] of attempts) {
      const attempt = createIntroRequest(ctx.store.db, props);
      await expect(attempt).rejects.toBeInstanceOf(IntroRequestError);
      await expect(attempt).rejects.toMatchObject({ code });
      await expect(attempt).rejects.toThrow(message);
    }
  });

  it('does not see another tenant’s people', async () => {
    const tenantA = await ctx.newTenant();
    const tenantB = await ctx.newTenant();
    const p = await seedColleagues(ctx.store.db, tenantA);
    await expect(
      createIntroRequest(ctx.store.db, {
        tenantId: tenantB,
        requesterPersonId: p.ana,
        connectorPersonId: p.ben,
        target: { kind: 'company', domain: 'acme.com' },
      }),
    ).rejects.toMatchObject({ code: 'intro_not_found' });
  });
});
