import { describe, expect, it } from 'vitest';
import { shownName, splitParticipants } from './external-participants.js';

describe('splitParticipants', () => {
  it('keeps each external address once and counts colleagues on the user’s domain', () => {
    const split = splitParticipants(
      [
        { email: 'Dana@Acme.com', displayName: 'Dana Lee', role: 'from' },
        { email: 'adele@contoso.com', displayName: 'Adele', role: 'to' },
        { email: 'dana@acme.com', displayName: 'Dana Lee', role: 'cc' },
        { email: 'sam@acme.com', displayName: 'Sam Ortiz', role: 'cc' },
        { email: 'megan@CONTOSO.com', displayName: 'Megan', role: 'cc' },
        { email: 'not an address', displayName: 'Room 1', role: 'cc' },
      ],
      'adele@contoso.com',
    );
    expect(split).toEqual({
      external: [
        { email: 'dana@acme.com', displayName: 'Dana Lee' },
        { email: 'sam@acme.com', displayName: 'Sam Ortiz' },
      ],
      internal: 2,
    });
  });

  it('leaves the internal check to the service when the user’s address is unknown', () => {
    const split = splitParticipants(
      [{ email: 'a@contoso.com', displayName: 'A', role: 'to' }],
      null,
    );
    expect(split.external).toHaveLength(1);
  });
});

describe('shownName', () => {
  const split = splitParticipants(
    [{ email: 'dana@acme.com', displayName: 'Dana Lee', role: 'from' }],
    'adele@contoso.com',
  );

  it('uses the name Outlook showed when the service knows only the address', () => {
    expect(shownName({ email: 'dana@acme.com', displayName: 'dana@acme.com' }, split)).toBe(
      'Dana Lee',
    );
  });

  it('prefers the service’s name, and falls back to the address', () => {
    expect(shownName({ email: 'dana@acme.com', displayName: 'Dana M. Lee' }, split)).toBe(
      'Dana M. Lee',
    );
    expect(shownName({ email: 'x@acme.com', displayName: '' }, split)).toBe('x@acme.com');
  });
});
