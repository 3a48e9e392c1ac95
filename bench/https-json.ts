// A small keep-alive HTTPS JSON client for benchmarks: trusts the simulator's certificate explicitly.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';

export interface JsonResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export function createJsonClient(caFile: string, maxSockets = 64) {
  const agent = new Agent({ keepAlive: true, maxSockets, ca: readFileSync(caFile) });
  function send(
    method: string,
    url: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<JsonResponse> {
    return new Promise((resolve, reject) => {
      const req = request(url, { method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          if ((res.headers['content-type'] ?? '').includes('json') && text)
            parsed = JSON.parse(text);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
  return {
    get: (url: string, headers: Record<string, string> = {}) => send('GET', url, headers),
    postForm: (url: string, form: Record<string, string>) =>
      send(
        'POST',
        url,
        { 'content-type': 'application/x-www-form-urlencoded' },
        new URLSearchParams(form).toString(),
      ),
    postJson: (url: string, value: unknown) =>
      send('POST', url, { 'content-type': 'application/json' }, JSON.stringify(value)),
    close: () => agent.destroy(),
  };
}
