// Who can be a connector in a tenant (an employee whose mailbox is tracked), whether they can still
// be asked, and how many external contacts they have: read once per tenant and reused. A question
// over a large company otherwise looked all three up again for each of its thousands of ties.
import { sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import { directoryGeneration, mailboxGeneration, type StoreDb } from '../store/index.js';

export interface ConnectorFacts {
  /** still in the directory and enabled */
  reachable: boolean;
  /** external contacts, for hub damping */
  degree: number;
}

// writes by another process (a sync worker) show within this long, plus one read of the facts
const REFRESH_AFTER_MS = 1_000;

interface Entry {
  connectors: ReadonlyMap<number, ConnectorFacts>;
  generation: string;
  loadedAt: number;
  refreshing: boolean;
}

const caches = new WeakMap<StoreDb, LRUCache<string, Entry>>();

// per tenant, bumped whenever this process changes its ties (and so its employees' degrees)
const tieGenerations = new Map<string, number>();

/** Called after this process commits a change to the tenant's ties. */
export function tiesChanged(tenantId: string): void {
  tieGenerations.set(tenantId, (tieGenerations.get(tenantId) ?? 0) + 1);
}

function generationOf(tenantId: string): string {
  return `${mailboxGeneration(tenantId)}:${directoryGeneration(tenantId)}:${tieGenerations.get(tenantId) ?? 0}`;
}

/** The tenant's tracked employees, read now. */
export async function readConnectors(
  db: StoreDb,
  tenantId: string,
): Promise<Map<number, ConnectorFacts>> {
  const { rows } = await sql<{ person_id: number; reachable: number; degree: number | null }>`
    select m.person_id,
      case when coalesce(p.account_enabled, 1) <> 0 and p.left_at is null then 1 else 0 end
        as reachable,
      d.external_contacts as degree
    from mailboxes m
    join people p on p.tenant_id = m.tenant_id and p.person_id = m.person_id
    left join tie_degrees d on d.tenant_id = m.tenant_id and d.person_id = m.person_id
    where m.tenant_id = ${tenantId} and m.state <> 'removed'`.execute(db);
  const connectors = new Map<number, ConnectorFacts>();
  for (const row of rows) {
    connectors.set(Number(row.person_id), {
      reachable: Number(row.reachable) === 1,
      degree: Number(row.degree ?? 0),
    });
  }
  return connectors;
}

/**
 * The tenant's tracked employees by person id, reused: exact after any write this process made
 * to mailboxes, the directory's people or the ties; otherwise refreshed in the background once a
 * second, so writes by other processes show within about a second and no question waits for them.
 */
export async function trackedConnectors(
  db: StoreDb,
  tenantId: string,
): Promise<ReadonlyMap<number, ConnectorFacts>> {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new LRUCache({ max: 1_000 });
    caches.set(db, cache);
  }
  const generation = generationOf(tenantId);
  const entry = cache.get(tenantId);
  if (entry === undefined || entry.generation !== generation) {
    const connectors = await readConnectors(db, tenantId);
    cache.set(tenantId, { connectors, generation, loadedAt: Date.now(), refreshing: false });
    return connectors;
  }
  if (!entry.refreshing && Date.now() - entry.loadedAt > REFRESH_AFTER_MS) {
    entry.refreshing = true;
    const loadedAt = Date.now();
    const target = cache;
    readConnectors(db, tenantId).then(
      (connectors) => {
        // a write this process made meanwhile has its own, newer generation: leave that alone
        if (target.get(tenantId) === entry) {
          target.set(tenantId, { connectors, generation, loadedAt, refreshing: false });
        }
      },
      // the next question tries again; this one is answered from what was read before
      () => {
        entry.refreshing = false;
      },
    );
  }
  return entry.connectors;
}
