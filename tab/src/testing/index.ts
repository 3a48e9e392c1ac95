// Browser-test harness shared by the tab's and the add-in's browser tests.
export { CHROMIUM_PATH, SCREENSHOT_DIR, launchChromium, screenshotPath } from './chromium.js';
export { seriousAxeViolations, type AxeFinding } from './axe.js';
export { kilobytes, recordScripts, type ScriptLedger } from './bundle-size.js';
export {
  openInTeamsHost,
  type TeamsHost,
  type TeamsHostOptions,
  type TeamsTheme,
} from './teams-host.js';
export { buildFrontEnd } from './build-front-end.js';
export { startFrontEndService, type FrontEndService } from './front-end-service.js';
export * from './front-end-tenant.js';
export { standInForEntraConsent, type ConsentScreen } from './entra-consent-screen.js';
export { startHttpsFront, type HttpsFront } from './https-front.js';
