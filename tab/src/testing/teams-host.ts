// A stand-in for the Teams web client around the tab: it frames the tab and answers teams-js the
// way Teams does (initialize, getContext, getAuthToken, theme changes, and authenticate's pop-up
// window with notifySuccess / notifyFailure), so the tab runs its real Teams code path in a
// browser test. Served from the tab's own origin through a route, which teams-js accepts as a
// valid parent origin.
import type { Frame, Page } from 'playwright-core';

export type TeamsTheme = 'default' | 'dark' | 'contrast';

export interface TeamsHostOptions {
  /** the origin serving the tab, e.g. https://127.0.0.1:8443 (Teams requires https) */
  origin: string;
  /** what getAuthToken answers: an SSO token for the signed-in user */
  token: () => Promise<string>;
  user: { id: string; upn: string; displayName: string; tenantId: string };
  theme?: TeamsTheme;
  /** the tab's path and hash, e.g. /tab/#/search */
  path?: string;
}

export interface TeamsHost {
  frame: Frame;
  setTheme(theme: TeamsTheme): Promise<void>;
  /** what each authentication pop-up answered the tab: [true, result] or [false, reason] */
  authWindowResults(): Promise<[boolean, string | undefined][]>;
}

const HOST_PATH = '/__teams-host__.html';

function hostPage(options: TeamsHostOptions): string {
  const context = {
    locale: 'en-us',
    theme: options.theme ?? 'default',
    entityId: 'warmpath',
    tid: options.user.tenantId,
    userObjectId: options.user.id,
    userPrincipalName: options.user.upn,
    loginHint: options.user.upn,
    hostClientType: 'web',
    frameContext: 'content',
    hostName: 'Teams',
    appSessionId: 'test-session',
  };
  const runtime = {
    apiVersion: 4,
    hostVersionsInfo: {},
    isLegacyTeams: false,
    supports: {
      appEntity: {},
      authentication: {},
      pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} },
      teams: {},
    },
  };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Microsoft Teams (test host)</title>
<style>html,body{margin:0;height:100%}iframe{border:0;width:100%;height:100%}</style></head>
<body><iframe id="app" title="WarmPath" src="${options.path ?? '/tab/'}"></iframe>
<script>
const frame = document.getElementById('app');
const context = ${JSON.stringify(context)};
const runtime = ${JSON.stringify(JSON.stringify(runtime))};
// authenticate: one pop-up at a time, as Teams allows; it answers the tab's request when the
// pop-up notifies, or CancelledByUser when the user closes it first
let auth = null;
function openAuthWindow(args, reply) {
  const [url, width, height] = args;
  if (auth) { reply([false, 'Another authentication window is open.']); return; }
  // Teams opens only pages of the app's validDomains: here, the tab's own origin
  if (new URL(url, location.href).origin !== location.origin) { reply([false, "The URL is not in the app's validDomains."]); return; }
  const popup = window.open(url, '_blank', 'width=' + (width || 600) + ',height=' + (height || 535));
  if (!popup) { reply([false, 'The authentication window could not be opened.']); return; }
  auth = { popup, reply, timer: setInterval(() => { if (popup.closed) finishAuth([false, 'CancelledByUser']); }, 250) };
}
function finishAuth(args) {
  if (!auth) return;
  const { popup, reply, timer } = auth;
  auth = null;
  clearInterval(timer);
  reply(args);
  window.authWindowResults.push(args);
  // teams-js closes the pop-up itself 200 ms after notifying; Teams closes it too
  setTimeout(() => { if (!popup.closed) popup.close(); }, 500);
}
function answerAuthWindow(event, message) {
  const reply = (args) => event.source.postMessage({ id: message.id, uuidAsString: message.uuidAsString, args }, event.origin);
  switch (message.func) {
    case 'initialize': reply(['authentication', 'web', runtime, '2.58.0']); break;
    case 'getContext': reply([{ ...context, frameContext: 'authentication' }]); break;
    case 'authentication.authenticate.success': finishAuth([true, message.args[0]]); break;
    case 'authentication.authenticate.failure': finishAuth([false, message.args[0]]); break;
    default: break;
  }
}
window.authWindowResults = [];
window.addEventListener('message', async (event) => {
  const message = event.data;
  if (!message || typeof message.func !== 'string') return;
  if (auth && event.source === auth.popup) { answerAuthWindow(event, message); return; }
  if (event.source !== frame.contentWindow) return;
  const reply = (args) => frame.contentWindow.postMessage({ id: message.id, uuidAsString: message.uuidAsString, args }, event.origin);
  switch (message.func) {
    case 'authentication.authenticate': openAuthWindow(message.args, reply); break;
    case 'initialize': reply(['content', 'web', runtime, '2.58.0']); break;
    case 'getContext': reply([context]); break;
    case 'authentication.getAuthToken':
      try { reply([true, await window.teamsHostToken()]); } catch (error) { reply([false, String(error)]); }
      break;
    default: break; // registerHandler, appInitialization.success and the like need no answer
  }
});
window.setTeamsTheme = (theme) => {
  context.theme = theme;
  frame.contentWindow.postMessage({ func: 'themeChange', args: [theme] }, '*');
};
</script></body></html>`;
}

export async function openInTeamsHost(page: Page, options: TeamsHostOptions): Promise<TeamsHost> {
  await page.exposeFunction('teamsHostToken', options.token);
  await page.route(`${options.origin}${HOST_PATH}`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: hostPage(options) }),
  );
  await page.goto(`${options.origin}${HOST_PATH}`);
  const frame = await (await page.waitForSelector('iframe#app')).contentFrame();
  if (!frame) throw new Error('the Teams host did not frame the tab');
  return {
    frame,
    setTheme: async (theme) => {
      await page.evaluate(
        (next) => (window as unknown as { setTeamsTheme(t: string): void }).setTeamsTheme(next),
        theme,
      );
    },
    authWindowResults: () =>
      page.evaluate(
        () =>
          (window as unknown as { authWindowResults: [boolean, string | undefined][] })
            .authWindowResults,
      ),
  };
}
