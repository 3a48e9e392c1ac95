// Every REST route, in the order docs/api.md lists them. Reading this list is reading the API.
import type { ApiRoute } from './api-route.js';
import { createIntroRequest } from './create-intro-request.js';
import { decideIntroRequest } from './decide-intro-request.js';
import { findIntros } from './find-intros.js';
import { findParticipantIntros } from './find-participant-intros.js';
import { getAdminConsent } from './get-admin-consent.js';
import { getAdminSettings } from './get-admin-settings.js';
import { getCompany } from './get-company.js';
import { getMe } from './get-me.js';
import { getPerson } from './get-person.js';
import { getSyncStatus } from './get-sync-status.js';
import { listCompanyMeetings } from './list-company-meetings.js';
import { listIntroRequests } from './list-intro-requests.js';
import { listLocalUsers } from './list-local-users.js';
import { listTrackedPrincipals } from './list-tracked-principals.js';
import { localSignIn } from './local-sign-in.js';
import { requestSync } from './request-sync.js';
import { searchDirectory } from './search-directory.js';
import { searchTargets } from './search-targets.js';
import { trackPrincipals } from './track-principals.js';
import { untrackPrincipal } from './untrack-principal.js';
import { updateAdminSettings } from './update-admin-settings.js';

export const API_ROUTES: readonly ApiRoute[] = [
  getMe,
  findIntros,
  findParticipantIntros,
  searchTargets,
  getCompany,
  listCompanyMeetings,
  getPerson,
  createIntroRequest,
  listIntroRequests,
  decideIntroRequest,
  getAdminConsent,
  getAdminSettings,
  updateAdminSettings,
  listTrackedPrincipals,
  trackPrincipals,
  untrackPrincipal,
  searchDirectory,
  getSyncStatus,
  requestSync,
  listLocalUsers,
  localSignIn,
];
