// How fast the simulator serves calendarView/delta: it must never be the bottleneck (≥ 5,000 events/s).
import { startChildSimulator } from './child-simulator.js';
import { createJsonClient } from './https-json.js';
import type { BenchResult } from './results.js';
import { median } from './results.js';

interface Page {
  value: unknown[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

const MAILBOX_CONCURRENCY = 8;
const ROUNDS = 3;

export async function benchSimulatorThroughput(): Promise<BenchResult[]> {
  const sim = await startChildSimulator([
    '--seed',
    '3',
    '--users',
    '120',
    '--companies',
    '30',
    '--months',
    '24',
  ]);
  const client = createJsonClient(sim.env.NODE_EXTRA_CA_CERTS!);
  try {
    const { GRAPH_BASE_URL: graph, AUTHORITY_HOST: authority, TENANT_ID: tenant } = sim.env;
    const token = await client.postForm(`${authority}/${tenant}/oauth2/v2.0/token`, {
      grant_type: 'client_credentials',
      client_id: sim.env.CLIENT_ID!,
      client_secret: sim.env.CLIENT_SECRET!,
      scope: 'https://graph.microsoft.com/.default',
    });
    const accessToken = (token.body as { access_token: string }).access_token;
    const headers = {
      authorization: `Bearer ${accessToken}`,
      prefer: 'odata.maxpagesize=200, IdType="ImmutableId"',
    };
    const users = await client.get(`${graph}/v1.0/users?$select=id,mail&$top=999`, headers);
    const mailboxes = (users.body as { value: Array<{ id: string; mail: string | null }> }).value
      .filter((user) => user.mail)
      .map((user) => user.id);
    const now = Date.now();
    const start = new Date(now - 730 * 86_400_000).toISOString();
    const end = new Date(now + 90 * 86_400_000).toISOString();

    const rates: number[] = [];
    let events = 0;
    for (let round = 0; round < ROUNDS; round++) {
      events = 0;
      const queue = [...mailboxes];
      const began = performance.now();
      await Promise.all(
        Array.from({ length: MAILBOX_CONCURRENCY }, async () => {
          for (let id = queue.shift(); id; id = queue.shift()) {
            let url: string | undefined =
              `${graph}/v1.0/users/${id}/calendarView/delta?startDateTime=${start}&endDateTime=${end}`;
            while (url) {
              const response = await client.get(url, headers);
              if (response.status === 404) break; // users without a mailbox
              if (response.status !== 200)
                throw new Error(`calendarView/delta answered ${response.status}`);
              const page = response.body as Page;
              events += page.value.length;
              url = page['@odata.nextLink'];
            }
          }
        }),
      );
      rates.push(events / ((performance.now() - began) / 1000));
    }
    return [
      {
        name: 'simulator calendarView/delta throughput',
        value: Math.round(median(rates)),
        unit: 'events/s',
        target: '>= 5000',
        detail: `median of ${ROUNDS} full delta rounds over ${mailboxes.length} mailboxes (${events} events per round), ${MAILBOX_CONCURRENCY} mailboxes at a time, pages of 200, simulator in its own process`,
      },
    ];
  } finally {
    client.close();
    await sim.stop();
  }
}
