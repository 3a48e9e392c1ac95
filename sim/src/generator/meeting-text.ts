// Realistic subjects, agendas and place names. WarmPath must never store any of it, so it has to
// be there (and look like real calendar content) for that to be provable.
import type { ExternalCompany } from './model.js';
import type { Random } from './random.js';

function agenda(rng: Random, intro: string, topics: readonly string[], count = 3): string {
  const picked = rng.sample(topics, count);
  const closing = rng.pick([
    'Notes from last time are in the shared OneNote.',
    'Please add anything else to the agenda doc beforehand.',
    'Deck will be shared in the chat.',
    'Let me know if this time no longer works.',
    '',
  ]);
  return [
    intro,
    '',
    'Agenda:',
    ...picked.map((topic) => `- ${topic}`),
    ...(closing ? ['', closing] : []),
  ].join('\n');
}

const CUSTOMER_TOPICS = [
  'Rollout status across regional teams',
  'Open support tickets and escalations',
  'Renewal timeline and commercial terms',
  'Adoption metrics for last month',
  'Integration with their CRM',
  'SSO and SCIM provisioning',
  'Data residency questions from their legal team',
  'Roadmap preview for next quarter',
  'Training plan for new hires',
  'Executive sponsor alignment',
  'Security questionnaire follow-ups',
  'Expansion into the APAC business unit',
  'Pricing for additional seats',
  'Success criteria for the pilot',
] as const;

const INTERNAL_TOPICS = [
  'Status updates',
  'Blockers and dependencies',
  'Hiring plan',
  'OKR check-in',
  'Customer feedback themes',
  'Incident review follow-ups',
  'Budget for next quarter',
  'Upcoming launches',
  'Process improvements',
  'Recognition and wins',
] as const;

export const PROJECT_NAMES = [
  'Project Falcon',
  'Q3 pricing refresh',
  'SOC 2 audit prep',
  'EU data residency',
  'Outlook add-in v2',
  'Renewal playbook',
  'Partner portal',
  'Website relaunch',
  'Usage-based billing',
  'Churn early-warning model',
  'Onboarding revamp',
  'Salesforce migration',
  'Accessibility audit',
  'Analytics dashboard',
  'Teams app certification',
  'Field enablement',
  'Customer reference programme',
  'Mobile offline mode',
  'Search relevance',
  'Cost optimisation',
  'Quarterly planning',
  'Brand refresh',
  'Annual user conference',
  'Security champions',
] as const;

export const WEBINAR_TOPICS = [
  'Turning meeting data into pipeline',
  'What great customer onboarding looks like in 2025',
  'Selling into the enterprise without cold calls',
  'Product tour: what is new this quarter',
  'Relationship intelligence for revenue teams',
  'Building a partner ecosystem that sells',
  'Customer Success metrics that matter',
  'Security and compliance deep dive',
  'Scaling account management with automation',
  'Ask me anything with our product team',
] as const;

export const CONFERENCES = [
  { name: 'SaaStr Annual', place: 'San Mateo County Event Center, San Mateo' },
  { name: 'Web Summit', place: 'Altice Arena, Lisbon' },
  { name: 'Microsoft Ignite', place: 'Chicago, McCormick Place' },
  { name: 'Gartner Symposium', place: 'Walt Disney World Swan and Dolphin, Orlando' },
  { name: 'Dreamforce', place: 'Moscone Center, San Francisco' },
  { name: 'London Tech Week', place: 'Olympia London' },
  { name: 'Collision', place: 'Enercare Centre, Toronto' },
] as const;

export const PRIVATE_APPOINTMENTS = [
  'Doctor appointment',
  'Dentist',
  'Physio',
  'Parent-teacher conference',
  'School pickup',
  'Eye test',
  'Bank appointment',
  'Vet - Biscuit',
  'Therapy',
  'Car service',
  'Flu jab',
  'Haircut',
] as const;

export function customerOneOnOneSubject(
  rng: Random,
  company: ExternalCompany,
  ours: string,
): string {
  return rng.pick([
    `${ours} / ${company.name} weekly sync`,
    `${company.name} check-in`,
    `Account sync: ${company.name}`,
    `${company.name} <> ${ours}`,
    `${company.name} - success plan review`,
  ]);
}

export function customerAgenda(rng: Random, company: ExternalCompany): string {
  return agenda(rng, `Regular check-in between ${company.name} and our team.`, CUSTOMER_TOPICS);
}

export function adHocCustomerSubject(rng: Random, company: ExternalCompany): string {
  return rng.pick([
    `${company.name}: renewal discussion`,
    `Lunch - ${company.name}`,
    `${company.name} pricing follow-up`,
    `Coffee catch-up (${company.name})`,
    `${company.name} expansion proposal`,
    `Review: ${company.name} rollout plan`,
    `${company.name} escalation - next steps`,
  ]);
}

export function introSubject(rng: Random, company: ExternalCompany, ours: string): string {
  return rng.pick([
    `Intro: ${ours} x ${company.name}`,
    `Product demo for ${company.name}`,
    `${company.name} technical deep dive`,
    `Security review with ${company.name}`,
    `Follow-up from the conference - ${company.name}`,
    `${company.name} / ${ours} integration discussion`,
  ]);
}

export function introAgenda(rng: Random, company: ExternalCompany): string {
  return agenda(rng, `First conversation with ${company.name}.`, CUSTOMER_TOPICS, 2);
}

export function internalAgenda(rng: Random, intro: string): string {
  return agenda(rng, intro, INTERNAL_TOPICS);
}

export function customerOfficePlace(company: ExternalCompany): {
  displayName: string;
  locationType: string;
} {
  return {
    displayName: `${company.name}, ${company.street}, ${company.city}`,
    locationType: 'businessAddress',
  };
}

export function restaurantPlace(
  rng: Random,
  city: string,
): { displayName: string; locationType: string } {
  const name = rng.pick([
    'The Ivy',
    'Nopa',
    'Balthazar',
    'Dishoom',
    'Canlis',
    'Zuma',
    'Nobu',
    'The Grill',
    'Bistro du Coin',
    'Aria',
  ]);
  return { displayName: `${name}, ${city}`, locationType: 'restaurant' };
}
