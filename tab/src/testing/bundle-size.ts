// Budget measurement: the JavaScript a page loads before it is usable, gzipped as a CDN would
// serve it, counted from the responses the browser really received.
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';

export interface ScriptLedger {
  /** gzipped bytes of every script under `prefix` received so far */
  gzipBytes(): number;
  files(): string[];
}

export function recordScripts(page: Page, prefix: string): ScriptLedger {
  const sizes = new Map<string, Promise<number>>();
  const settled = new Map<string, number>();
  page.on('response', (response) => {
    const url = response.url();
    if (!new URL(url).pathname.startsWith(prefix) || !url.endsWith('.js')) return;
    const size = response.body().then((body) => gzipSync(body, { level: 9 }).length);
    sizes.set(url, size);
    void size.then((bytes) => settled.set(url, bytes));
  });
  return {
    gzipBytes: () => [...settled.values()].reduce((sum, bytes) => sum + bytes, 0),
    files: () => [...sizes.keys()].map((url) => new URL(url).pathname),
  };
}

export function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
