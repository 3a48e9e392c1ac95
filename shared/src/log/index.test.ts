import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACTED_PATHS } from './index.js';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

describe('log redaction', () => {
  it('blanks tokens and secrets at the top level and one level down', () => {
    const { lines, stream } = capture();
    const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream);
    logger.info(
      {
        token: 'eyJ.top',
        req: { headers: { authorization: 'Bearer eyJ.header' } },
        graph: { access_token: 'eyJ.nested', clientState: 'secret-state' },
        tenantId: 't1',
      },
      'graph call',
    );
    const line = lines.join('');
    expect(line).not.toMatch(/eyJ\.|secret-state/);
    expect(line).toContain('"tenantId":"t1"');
    expect(line.match(/\[redacted\]/g)).toHaveLength(4);
  });
});
