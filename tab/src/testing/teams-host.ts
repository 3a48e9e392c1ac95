// A stand-in for the Teams web client around the tab: it frames the tab and answers teams-js the
// way Teams does (initialize, getContext, getAuthToken, theme changes), so the tab runs its real
// Teams code path in a browser test. Served from the tab's own origin through a route, which
// teams-js accepts as a valid parent origin.
import type { Frame, Page } from 'playwright-core';

export type TeamsTheme = 'default' | 'dark' | 'contrast';

export interface TeamsHostOptions {
  /** the service's origin, e.g. http://127.0.0.1:3978 */
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
window.addEventListener('message', async (event) => {
  if (event.source !== frame.contentWindow) return;
  const message = event.data;
  if (!message || typeof message.func !== 'string') return;
  const reply = (args) => frame.contentWindow.postMessage({ id: message.id, uuidAsString: message.uuidAsString, args }, event.origin);
  switch (message.func) {
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
  };
}
