// The pane's time to first paths, in its own process (it needs NODE_EXTRA_CA_CERTS from the
// start): builds the add-in, starts the service as the browser tests do, opens the pane in
// Chromium inside the Outlook stand-in, and prints one JSON line with the figures.
import { installOutlookHost } from '../addin/src/testing/outlook-host.js';
import {
  EXTERNAL,
  USERS,
  buildFrontEnd,
  launchChromium,
  startFrontEndService,
} from '../tab/src/testing/index.js';

const REOPENINGS = 5;
const me = { emailAddress: USERS.adele.mail, displayName: USERS.adele.displayName };
const address = (p: { name: string; address: string }) => ({
  emailAddress: p.address,
  displayName: p.name,
});

const service = await startFrontEndService();
await buildFrontEnd('addin', { VITE_WARMPATH_CLIENT_ID: service.sim.tenant.clientId });
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 350, height: 800 } });
  const page = await context.newPage();
  // a returning local user, as the browser test's first open
  await page.addInitScript(
    (who) => localStorage.setItem('warmpath.localUpn', who),
    me.emailAddress,
  );
  await installOutlookHost(page, {
    user: me,
    item: {
      itemType: 'message',
      mode: 'read',
      from: address(EXTERNAL.dana),
      to: [me],
      cc: [address(EXTERNAL.sam)],
    },
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const open = async (reload: boolean) => {
    if (reload) await page.reload();
    else await page.goto(`${service.url}/addin/`);
    await page.getByTestId('path-card').first().waitFor();
    const ms = await page.evaluate(
      () => performance.getEntriesByName('warmpath:first-paths')[0]?.startTime ?? -1,
    );
    const { metrics } = await cdp.send('Performance.getMetrics');
    // CPU time of the page's main thread: what a busy machine does not inflate
    const threadMs = (metrics.find((m) => m.name === 'ThreadTime')?.value ?? 0) * 1000;
    return { ms, threadMs };
  };
  const first = await open(false);
  const reopened = [];
  for (let i = 0; i < REOPENINGS; i += 1) reopened.push(await open(true));
  console.log(JSON.stringify({ first, reopened }));
} finally {
  await browser.close();
  await service.close();
}
