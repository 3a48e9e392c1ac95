// The page Teams opens in a pop-up (authentication.authenticate) when WarmPath needs the user's
// consent: first it sends the user to the authority's consent prompt, then, when the authority
// sends them back here, it tells the tab how it went (notifySuccess / notifyFailure).
import { app, authentication } from '@microsoft/teams-js';
import { initializeTeams } from '../host/teams-initialize.js';
import { consentOutcome, userConsentUrl } from './consent-urls.js';

const STATE_KEY = 'warmpath.consentState';

function say(text: string): void {
  document.getElementById('status')!.textContent = text;
}

async function run(): Promise<void> {
  // only a Teams authentication window may be sent on: no redirects for a page opened elsewhere
  if (!(await initializeTeams())) {
    say('Open this page from WarmPath in Microsoft Teams.');
    return;
  }
  const query = new URLSearchParams(window.location.search);
  const adminConsentUrl = query.get('authority');
  if (adminConsentUrl === null) {
    const outcome = consentOutcome(query, sessionStorage.getItem(STATE_KEY));
    sessionStorage.removeItem(STATE_KEY);
    if (outcome.consented) {
      say('Thank you. You can go back to WarmPath.');
      authentication.notifySuccess();
    } else {
      say(`Consent was not given: ${outcome.reason}`);
      authentication.notifyFailure(outcome.reason);
    }
    return;
  }
  const context = await app.getContext();
  const state = crypto.randomUUID();
  let target: string;
  try {
    target = userConsentUrl({
      adminConsentUrl,
      redirectUri: `${window.location.origin}${window.location.pathname}`,
      state,
      loginHint: context.user?.loginHint,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    say(reason);
    authentication.notifyFailure(reason);
    return;
  }
  sessionStorage.setItem(STATE_KEY, state);
  window.location.assign(target);
}

void run();
