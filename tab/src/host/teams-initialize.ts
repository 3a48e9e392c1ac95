// teams-js start-up shared by the tab and its consent pop-up; on its own so that the pop-up's
// script carries nothing else of the tab.
import { app } from '@microsoft/teams-js';

/** How long a host gets to answer app.initialize before the page assumes it is not in Teams. */
const INITIALIZE_TIMEOUT_MS = 4000;

/** teams-js app.initialize: true once Teams answered, false when it does not within the timeout. */
export async function initializeTeams(): Promise<boolean> {
  return Promise.race([
    app.initialize().then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), INITIALIZE_TIMEOUT_MS)),
  ]).catch(() => false);
}
