// Malformed requests for every documented route, from a seed: broken path parameters, junk query
// strings, wrong JSON types, invalid JSON, deep nesting, prototype keys, oversized bodies, and
// missing, garbage or valid tokens. The fuzz test and the benchmark send them and expect no 5xx.

export interface MalformedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

type Json = Record<string, unknown>;

/** Small deterministic generator (mulberry32), so a failing case can be replayed by seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEGMENTS = [
  '',
  '%',
  '%zz',
  '%E0%A4%A',
  '%00',
  '..%2f..%2fetc%2fpasswd',
  'fabrikam.com',
  'a'.repeat(3000),
  '9'.repeat(40),
  '-1',
  '1e9',
  '0',
  '💥',
  'null',
  "' or 1=1 --",
  'acme.com%2F..',
  '12',
  '5f1c2a8e-3b47-4d9a-9e61-0c7d2b4a8f13',
];
const QUERIES = [
  '',
  '?',
  '?target=',
  '?target=%',
  `?target=${'x'.repeat(5000)}`,
  '?target=acme&target=other',
  '?q=%zz&limit=-3',
  '?q=a&limit=1e400',
  '?q=%25&limit=25',
  '?q=_&limit=0',
  '?connector=abc',
  '?connector=999999999999999999999',
  '?target[]=a&target[]=b',
  '?__proto__[x]=1',
  '?q=' + encodeURIComponent("'; drop table people; --"),
  '?target=jane%40acme.com',
  '?target=https%3A%2F%2Fwww.acme.com%2Fabout',
];
const SCALARS: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  '',
  'x',
  '💥'.repeat(100),
  [],
  {},
  'not-an-email',
  'a@b',
  ['a@b.com'],
  { kind: 'company' },
  '5f1c2a8e-3b47-4d9a-9e61-0c7d2b4a8f13',
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** A body shaped like the route's but with wrong types, extra keys or broken syntax. */
function malformedBody(random: () => number, properties: string[]): string {
  const roll = random();
  if (roll < 0.1) return '{"emails": [';
  if (roll < 0.15) return nested(2000);
  if (roll < 0.2) return '\u0000\uffff{';
  if (roll < 0.25) return JSON.stringify({ emails: ['a@b.com'], padding: 'x'.repeat(70_000) });
  if (roll < 0.3) return '{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"x": 1}}}';
  if (roll < 0.35) return JSON.stringify(pick(random, SCALARS));
  const body: Json = {};
  for (const name of properties) {
    if (random() < 0.7) body[name] = pick(random, SCALARS);
  }
  if (random() < 0.3) body[`unexpected${Math.floor(random() * 9)}`] = pick(random, SCALARS);
  if (random() < 0.2 && properties.includes('emails')) {
    body.emails = Array.from({ length: 1 + Math.floor(random() * 150) }, (_, i) =>
      random() < 0.9 ? `p${i}@acme${i % 7}.com` : pick(random, SCALARS),
    );
  }
  return JSON.stringify(body);
}

/**
 * `count` malformed requests spread over every operation of the OpenAPI document; `tokens` are
 * valid SSO tokens, used for about half so validation (not only auth) is exercised.
 */
export function malformedRequests(
  openApi: Json,
  tokens: readonly string[],
  count: number,
  seed = 1,
): MalformedRequest[] {
  const random = seededRandom(seed);
  const operations: Array<{ method: string; template: string; properties: string[] }> = [];
  for (const [template, item] of Object.entries(openApi.paths as Record<string, Json>)) {
    // the Bot Framework adapter has its own parser; it is not this API's to fuzz
    if (template === '/api/messages') continue;
    for (const [method, operation] of Object.entries(item)) {
      const body = (operation as Json).requestBody as Json | undefined;
      const schema = (body?.content as Record<string, Json> | undefined)?.['application/json']
        ?.schema as Json | undefined;
      const properties = Object.keys((schema?.properties as Json | undefined) ?? {});
      operations.push({ method: method.toUpperCase(), template, properties });
    }
  }
  const requests: MalformedRequest[] = [];
  for (let i = 0; i < count; i++) {
    const operation = operations[i % operations.length] as (typeof operations)[number];
    const method =
      random() < 0.9 ? operation.method : pick(random, ['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);
    const path =
      operation.template.replace(/\{\w+\}/g, () => pick(random, SEGMENTS)) +
      (random() < 0.8 ? pick(random, QUERIES) : '');
    const headers: Record<string, string> = {};
    const auth = random();
    if (auth < 0.5 && tokens.length > 0) headers.authorization = `Bearer ${pick(random, tokens)}`;
    else if (auth < 0.6) headers.authorization = 'Bearer';
    else if (auth < 0.7) headers.authorization = `Bearer ${'e'.repeat(20_000)}`;
    else if (auth < 0.8) headers.authorization = 'Basic YTpi';
    else if (auth < 0.85) headers.authorization = 'Bearer eyJhbGciOiJub25lIn0.eyJ0aWQiOiIxIn0.';
    // fetch cannot send a GET body; a DELETE may carry one
    const withBody =
      method === 'GET' ? false : method === 'DELETE' ? random() < 0.2 : random() < 0.95;
    const request: MalformedRequest = { method, path, headers };
    if (withBody) {
      request.body = malformedBody(random, operation.properties);
      headers['content-type'] = pick(random, [
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=latin1',
      ]);
    }
    requests.push(request);
  }
  return requests;
}

export interface FuzzOutcome {
  sent: number;
  byStatus: Record<string, number>;
  /** the first few requests answered 5xx (or not at all), to replay */
  failures: Array<{ request: MalformedRequest; status: number | string }>;
}

/** Sends the requests with `concurrency` in flight and counts the answers. */
export async function sendMalformedRequests(
  baseUrl: string,
  requests: readonly MalformedRequest[],
  concurrency = 16,
): Promise<FuzzOutcome> {
  const outcome: FuzzOutcome = { sent: 0, byStatus: {}, failures: [] };
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++] as MalformedRequest;
      let status: number | string;
      try {
        const response = await fetch(`${baseUrl}${request.path}`, {
          method: request.method,
          headers: request.headers,
          ...(request.body === undefined ? {} : { body: request.body }),
        });
        await response.arrayBuffer();
        status = response.status;
      } catch (error) {
        status = `no answer: ${(error as Error).message}`;
      }
      outcome.sent++;
      const key = String(status);
      outcome.byStatus[key] = (outcome.byStatus[key] ?? 0) + 1;
      if ((typeof status !== 'number' || status >= 500) && outcome.failures.length < 10) {
        // shortened, so a failure report stays readable
        const short = {
          ...request,
          path: request.path.slice(0, 200),
          body: request.body?.slice(0, 200),
        };
        outcome.failures.push({ request: short, status });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcome;
}
