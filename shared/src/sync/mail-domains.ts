// Email addresses and their domains: what a participant's address says about them (internal or
// external, which company, personal mail provider or not).
import { LRUCache } from 'lru-cache';
import { getDomain } from 'tldts';
// email-providers, not free-email-domains: a static list with no install script; the other re-downloads its list in postinstall.
import personalMailDomainList from 'email-providers/all.json' with { type: 'json' };

const personalMailDomains: ReadonlySet<string> = new Set(
  personalMailDomainList.map((domain) => domain.toLowerCase()),
);

/**
 * Hosts where every tenant gets its own subdomain (Microsoft 365 initial domains) but which the
 * Public Suffix List does not list, so `contoso.onmicrosoft.com` and `fabrikam.onmicrosoft.com`
 * stay two companies instead of one called onmicrosoft.com.
 */
const TENANT_SUBDOMAIN_HOSTS = ['onmicrosoft.com', 'onmicrosoft.us', 'partner.onmschina.cn'];

const EMAIL_ADDRESS_PATTERN =
  /^[^\s@<>()[\]\\,;:"]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}\p{N}-]{2,}$/u;

// the same addresses recur on every page; the pattern (Unicode classes) is the costly part
const normalizedAddresses = new Map<string, string | null>();
const NORMALIZED_ADDRESSES_KEPT = 50_000;

/** Trims and lowercases an address; undefined when it is not local@host.tld (X.500 DNs, blanks). */
export function normalizeEmailAddress(raw: string): string | undefined {
  let normalized = normalizedAddresses.get(raw);
  if (normalized === undefined) {
    const email = raw.trim().toLowerCase();
    normalized = EMAIL_ADDRESS_PATTERN.test(email) ? email : null;
    // a plain map emptied when full: cheaper per look-up than an LRU, and refilled within a page
    if (normalizedAddresses.size >= NORMALIZED_ADDRESSES_KEPT) normalizedAddresses.clear();
    normalizedAddresses.set(raw, normalized);
  }
  return normalized ?? undefined;
}

/** The host part of a normalised address. */
export function emailHost(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

/** True when `host` is one of `domains` or a subdomain of one (eu.contoso.com is in contoso.com). */
export function isWithinDomains(host: string, domains: Iterable<string>): boolean {
  for (const domain of domains) {
    if (host === domain || host.endsWith(`.${domain}`)) return true;
  }
  return false;
}

// the same few thousand hosts recur on every page; the Public Suffix List lookup is the costly part
const registrableDomains = new LRUCache<string, string>({ max: 20_000 });

/** The company domain of a host: its registrable domain (eTLD+1) by the Public Suffix List. */
export function registrableDomain(host: string): string {
  let domain = registrableDomains.get(host);
  if (domain === undefined) {
    domain = lookUpRegistrableDomain(host);
    registrableDomains.set(host, domain);
  }
  return domain;
}

function lookUpRegistrableDomain(host: string): string {
  const tenantHost = TENANT_SUBDOMAIN_HOSTS.find((suffix) => host.endsWith(`.${suffix}`));
  if (tenantHost !== undefined) {
    const labels = host.slice(0, -(tenantHost.length + 1)).split('.');
    return `${labels[labels.length - 1]}.${tenantHost}`;
  }
  // hosts the list cannot split (single labels, IP literals) are their own company
  return getDomain(host) ?? host;
}

/** True for consumer mail providers (gmail.com, outlook.com, yahoo.co.uk, …) by host or its domain. */
export function isPersonalMailDomain(host: string): boolean {
  return personalMailDomains.has(host) || personalMailDomains.has(registrableDomain(host));
}

/** The tenant's internal domains: its verified domains plus the admin's extra ones, lowercased. */
export function internalDomainsOf(
  verifiedDomains: readonly string[],
  extraInternalDomains: readonly string[],
): string[] {
  const domains = [...verifiedDomains, ...extraInternalDomains]
    .map((domain) =>
      domain
        .trim()
        .toLowerCase()
        .replace(/^\.+|\.+$/g, ''),
    )
    .filter((domain) => domain !== '');
  return [...new Set(domains)];
}
