// Test support: a few directory people to ask each other for intros.
import { upsertPeople } from '../store/people.js';
import type { StoreDb } from '../store/open-store.js';

export interface SeededColleagues {
  ana: number;
  ben: number;
  cleo: number;
  /** an external contact at acme.com */
  jane: number;
}

export async function seedColleagues(db: StoreDb, tenantId: string): Promise<SeededColleagues> {
  const ids = await upsertPeople(db, tenantId, [
    {
      email: 'ana@contoso.com',
      kind: 'internal',
      displayName: 'Ana Silva',
      aadObjectId: 'aad-ana',
    },
    {
      email: 'ben@contoso.com',
      kind: 'internal',
      displayName: 'Ben Okafor',
      aadObjectId: 'aad-ben',
    },
    {
      email: 'cleo@contoso.com',
      kind: 'internal',
      displayName: 'Cleo Park',
      aadObjectId: 'aad-cleo',
    },
    { email: 'jane@acme.com', kind: 'external', displayName: 'Jane Doe (Acme)' },
  ]);
  const id = (email: string) => ids.get(email) as number;
  return {
    ana: id('ana@contoso.com'),
    ben: id('ben@contoso.com'),
    cleo: id('cleo@contoso.com'),
    jane: id('jane@acme.com'),
  };
}
