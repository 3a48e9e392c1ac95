import { describe, expect, it } from 'vitest';
import type { GraphEvent } from '../graph-types.js';
import { generateTenant, type PlantedCompany, tenantWindow } from './index.js';
import {
  domainOf,
  indexTenant,
  ndcgAt5,
  occurrenceDates,
  peopleOn,
  rankConnectors,
  tookPart,
} from './test-support.js';

const SMALL = 8;

function setUp(seed: number) {
  const options = { seed, users: 60, companies: 25, months: 24, anchor: '2026-03-01' };
  const { tenant, planted } = generateTenant(options);
  const index = indexTenant(tenant);
  const window = tenantWindow(options);
  const pastDates = (event: GraphEvent): string[] =>
    occurrenceDates(event, window.start, options.anchor);
  const contactsOf = (company: PlantedCompany): Set<string> =>
    new Set([
      ...index.meetings.flatMap(({ event }) =>
        peopleOn(event)
          .map((p) => p.address)
          .filter((address) => domainOf(address) === company.domain),
      ),
      ...company.connectors.flatMap((connector) => connector.contacts),
    ]);

  /** Past occurrences of small, accepted, non-private meetings an employee had with a company. */
  const evidence = (
    company: PlantedCompany,
    employeeMail: string,
    contacts = contactsOf(company),
  ): number => {
    let total = 0;
    for (const { event } of index.meetings) {
      if (event.isCancelled || event.sensitivity === 'private' || peopleOn(event).length > SMALL)
        continue;
      if (!tookPart(event, employeeMail)) continue;
      if (![...contacts].some((contact) => tookPart(event, contact))) continue;
      total += pastDates(event).length;
    }
    return total;
  };
  return { options, tenant, planted, index, window, evidence, contactsOf, pastDates };
}

describe.each([7, 11, 23])('planted relationships (seed %i)', (seed) => {
  const { options, tenant, planted, index, window, evidence, contactsOf, pastDates } = setUp(seed);
  const userById = new Map(tenant.users.map((user) => [user.id, user]));

  it('rank strong above medium above weak by the small meetings actually held', () => {
    for (const company of planted.companies) {
      const contacts = contactsOf(company);
      const byTier = { strong: [] as number[], medium: [] as number[], weak: [] as number[] };
      for (const connector of company.connectors)
        byTier[connector.tier].push(evidence(company, connector.email, contacts));
      expect(byTier.strong.length, company.domain).toBeGreaterThanOrEqual(1);
      expect(byTier.medium.length, company.domain).toBeGreaterThanOrEqual(1);
      expect(byTier.weak.length, company.domain).toBeGreaterThanOrEqual(1);
      expect(Math.min(...byTier.strong), company.domain).toBeGreaterThan(
        Math.max(...byTier.medium),
      );
      expect(Math.min(...byTier.medium), company.domain).toBeGreaterThan(Math.max(...byTier.weak));
      expect(Math.min(...byTier.weak), company.domain).toBeGreaterThanOrEqual(1);
    }
  });

  it('list connectors strongest first', () => {
    const order = { strong: 0, medium: 1, weak: 2 };
    for (const company of planted.companies) {
      const ranks = company.connectors.map((connector) => order[connector.tier]);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      expect(new Set(company.connectors.map((c) => c.userId)).size).toBe(company.connectors.length);
    }
  });

  it('give every strong connector recent 1:1s with the company', () => {
    const recentFrom = new Date(Date.parse(`${options.anchor}T00:00:00Z`) - 60 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    for (const company of planted.companies) {
      const strong = company.connectors[0];
      if (!strong) throw new Error(`${company.domain} has no connectors`);
      const contacts = contactsOf(company);
      const recentOneOnOnes = index.meetings.filter(
        ({ event }) =>
          !event.isCancelled &&
          peopleOn(event).length === 2 &&
          tookPart(event, strong.email) &&
          [...contacts].some((contact) => tookPart(event, contact)) &&
          pastDates(event).some((date) => date >= recentFrom),
      );
      expect(recentOneOnOnes.length, company.domain).toBeGreaterThanOrEqual(1);
    }
  });

  it('spread connectors across employees, so no one is top everywhere', () => {
    const strongCounts = new Map<string, number>();
    for (const company of planted.companies) {
      const strong = company.connectors[0]?.userId ?? '';
      strongCounts.set(strong, (strongCounts.get(strong) ?? 0) + 1);
    }
    expect(strongCounts.size).toBeGreaterThanOrEqual(10);
    expect(Math.max(...strongCounts.values())).toBeLessThanOrEqual(planted.companies.length * 0.2);
    const departments = new Set([...strongCounts.keys()].map((id) => userById.get(id)?.department));
    expect(departments.size).toBeGreaterThanOrEqual(2);
  });

  it('hide a well-connected executive who meets every company in big rooms but rarely 1:1', () => {
    const cro = tenant.users.find((user) => user.jobTitle === 'Chief Revenue Officer');
    const croMail = cro?.mail?.toLowerCase() ?? '';
    const companiesMet = new Set<string>();
    let externalOneOnOnes = 0;
    for (const { event } of index.meetings) {
      const people = peopleOn(event);
      if (!people.some((p) => p.address === croMail)) continue;
      for (const company of planted.companies) {
        if (people.some((p) => domainOf(p.address) === company.domain))
          companiesMet.add(company.domain);
      }
      const isExternal = (address: string): boolean =>
        !index.internalDomains.has(domainOf(address));
      if (
        event.sensitivity !== 'private' &&
        people.length === 2 &&
        people.some((p) => isExternal(p.address))
      ) {
        externalOneOnOnes++;
      }
    }
    expect(companiesMet.size).toBeGreaterThanOrEqual(planted.companies.length * 0.6);
    expect(externalOneOnOnes).toBeLessThanOrEqual(2);
    for (const company of planted.companies) {
      const tier = company.connectors.find((connector) => connector.userId === cro?.id)?.tier;
      expect(tier === undefined || tier === 'weak').toBe(true);
    }
  });

  it('are recovered by a scorer that weighs size, answers and recency, but not by raw counts', () => {
    const gain = { strong: 3, medium: 2, weak: 1 };
    const evaluate = (method: 'reference' | 'naive') => {
      const rankings = rankConnectors(
        index,
        { start: window.start, anchor: options.anchor },
        method,
      );
      let topIsStrong = 0;
      let ndcg = 0;
      for (const company of planted.companies) {
        const relevance = new Map(
          company.connectors.map((c) => [c.email.toLowerCase(), gain[c.tier]]),
        );
        const ranked = rankings.get(company.domain) ?? [];
        if (relevance.get(ranked[0] ?? '') === 3) topIsStrong++;
        ndcg += ndcgAt5(ranked, relevance);
      }
      return {
        precisionAt1: topIsStrong / planted.companies.length,
        ndcgAt5: ndcg / planted.companies.length,
      };
    };
    const reference = evaluate('reference');
    const naive = evaluate('naive');
    expect(reference.precisionAt1).toBeGreaterThanOrEqual(0.9);
    expect(reference.ndcgAt5).toBeGreaterThanOrEqual(0.9);
    expect(naive.precisionAt1).toBeLessThanOrEqual(0.75);
    expect(naive.ndcgAt5).toBeLessThan(reference.ndcgAt5 - 0.15);
  });

  it('add noise a naive meeting count would fall for: crowds, declines, cancellations', () => {
    let misled = 0;
    let declinedOutreach = 0;
    let cancelledWithOutsiders = 0;
    for (const company of planted.companies) {
      const contacts = contactsOf(company);
      const plantedMails = new Set(company.connectors.map((c) => c.email.toLowerCase()));
      const naive = new Map<string, number>();
      for (const { event } of index.meetings) {
        const people = peopleOn(event);
        if (!people.some((p) => contacts.has(p.address))) continue;
        for (const person of people) {
          if (index.userByMail.has(person.address)) {
            naive.set(
              person.address,
              (naive.get(person.address) ?? 0) + Math.max(1, pastDates(event).length),
            );
          }
        }
        const nonConnector = people.find(
          (p) => index.userByMail.has(p.address) && !plantedMails.has(p.address),
        );
        if (nonConnector && people.length === 2) {
          if (event.isCancelled) cancelledWithOutsiders++;
          if (
            event.attendees?.some(
              (a) =>
                contacts.has(a.emailAddress.address.toLowerCase()) &&
                a.status.response === 'declined',
            )
          ) {
            declinedOutreach++;
          }
        }
      }
      const topFive = [...naive.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([mail]) => mail);
      if (topFive.some((mail) => !plantedMails.has(mail))) misled++;
    }
    expect(misled).toBeGreaterThanOrEqual(planted.companies.length * 0.3);
    expect(declinedOutreach).toBeGreaterThanOrEqual(10);
    expect(cancelledWithOutsiders).toBeGreaterThanOrEqual(3);
  });
});
