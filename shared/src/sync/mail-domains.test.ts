import { describe, expect, it } from 'vitest';
import {
  emailHost,
  internalDomainsOf,
  isPersonalMailDomain,
  isWithinDomains,
  normalizeEmailAddress,
  registrableDomain,
} from './mail-domains.js';

describe('normalizeEmailAddress', () => {
  it('trims and lowercases addresses', () => {
    expect(normalizeEmailAddress('  Jane.Doe@Acme.CO.UK ')).toBe('jane.doe@acme.co.uk');
  });

  it.each([
    '',
    'jane',
    'jane@',
    '@acme.com',
    'jane@acme',
    'jane doe@acme.com',
    'jane@acme..com',
    '/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP (FYDIBOHF23SPDLT)/CN=RECIPIENTS/CN=JANE',
  ])('rejects %j', (raw) => {
    expect(normalizeEmailAddress(raw)).toBeUndefined();
  });
});

describe('registrableDomain', () => {
  it.each([
    ['sales.acme.co.uk', 'acme.co.uk'],
    ['acme.co.uk', 'acme.co.uk'],
    ['eu.mail.contoso.com', 'contoso.com'],
    ['mail.yahoo.co.uk', 'yahoo.co.uk'],
  ])('%s → %s by the Public Suffix List', (host, domain) => {
    expect(registrableDomain(host)).toBe(domain);
  });

  it('keeps each Microsoft 365 initial domain a company of its own', () => {
    expect(registrableDomain('contoso.onmicrosoft.com')).toBe('contoso.onmicrosoft.com');
    expect(registrableDomain('mail.fabrikam.onmicrosoft.com')).toBe('fabrikam.onmicrosoft.com');
  });

  it('falls back to the host when the list cannot split it', () => {
    expect(registrableDomain('intranet')).toBe('intranet');
  });
});

describe('isPersonalMailDomain', () => {
  it.each(['gmail.com', 'outlook.com', 'hotmail.com', 'yahoo.co.uk', 'icloud.com', 'gmx.de'])(
    'recognises %s',
    (host) => {
      expect(isPersonalMailDomain(host)).toBe(true);
    },
  );

  it('recognises a provider subdomain by its registrable domain', () => {
    expect(isPersonalMailDomain('mail.yahoo.co.uk')).toBe(true);
  });

  it.each(['contoso.com', 'acme.co.uk', 'microsoft.com', 'contoso.onmicrosoft.com'])(
    'does not take company domain %s for a personal one',
    (host) => {
      expect(isPersonalMailDomain(host)).toBe(false);
    },
  );
});

describe('isWithinDomains', () => {
  it('matches a domain and its subdomains, not look-alikes', () => {
    const domains = ['contoso.com'];
    expect(isWithinDomains('contoso.com', domains)).toBe(true);
    expect(isWithinDomains('eu.contoso.com', domains)).toBe(true);
    expect(isWithinDomains('notcontoso.com', domains)).toBe(false);
    expect(isWithinDomains('contoso.com.evil.io', domains)).toBe(false);
  });
});

describe('internalDomainsOf', () => {
  it('joins verified and extra domains, lowercased and without duplicates', () => {
    expect(
      internalDomainsOf(
        ['Contoso.com', 'contoso.onmicrosoft.com'],
        [' contoso.com', 'Fabrikam.com.'],
      ),
    ).toEqual(['contoso.com', 'contoso.onmicrosoft.com', 'fabrikam.com']);
  });
});

describe('emailHost', () => {
  it('is the part after the last @', () => {
    expect(emailHost('jane@sales.acme.co.uk')).toBe('sales.acme.co.uk');
  });
});
