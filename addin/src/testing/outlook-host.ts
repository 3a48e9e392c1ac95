// A stand-in for Outlook around the task pane: the test answers the CDN's office.js with a small
// Office object shaped like Outlook's (onReady, mailbox.item in read or compose mode,
// userProfile, ItemChanged for a pinned pane, requirement sets, and from Mailbox 1.14 the Office
// theme's colours and OfficeThemeChanged), so the pane runs its real code.
import type { Page } from 'playwright-core';

export const OFFICE_JS_URL = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

export interface ShimAddress {
  emailAddress: string;
  displayName: string;
}

/** The item Outlook shows; `compose` hands recipients out through getAsync as Outlook does. */
export interface ShimItem {
  itemType: 'message' | 'appointment';
  mode: 'read' | 'compose';
  from?: ShimAddress;
  to?: ShimAddress[];
  cc?: ShimAddress[];
  organizer?: ShimAddress;
  requiredAttendees?: ShimAddress[];
  optionalAttendees?: ShimAddress[];
}

export interface OutlookShimOptions {
  user: ShimAddress;
  item: ShimItem | null;
  /** requirement sets the host claims, e.g. { Mailbox: '1.13', NestedAppAuth: '1.1' } */
  requirementSets?: Record<string, string>;
  /** nested app authentication: the host's bridge answers MSAL with this user's token */
  naa?: { token: () => Promise<string>; requests: NaaRequest[] };
  /** the Office theme's colours (Outlook reports them from Mailbox 1.14); default Colorful */
  theme?: ShimOfficeTheme;
}

/** Office.OfficeTheme as Outlook fills it: colours only (isDarkTheme and themeId are not supported). */
export interface ShimOfficeTheme {
  bodyBackgroundColor: string;
  bodyForegroundColor: string;
  controlBackgroundColor: string;
  controlForegroundColor: string;
}

export const OFFICE_THEMES = {
  colorful: {
    bodyBackgroundColor: '#FFFFFF',
    bodyForegroundColor: '#242424',
    controlBackgroundColor: '#FFFFFF',
    controlForegroundColor: '#242424',
  },
  black: {
    bodyBackgroundColor: '#1F1F1F',
    bodyForegroundColor: '#FFFFFF',
    controlBackgroundColor: '#292929',
    controlForegroundColor: '#FFFFFF',
  },
} satisfies Record<string, ShimOfficeTheme>;

/** What MSAL asked the host's NAA bridge. */
export interface NaaRequest {
  method: string;
  scopes: string[];
}

/** The NAA bridge as Outlook injects it: MSAL posts JSON requests, the host answers by message. */
function naaBridgeScript(): string {
  return `(() => {
  const listeners = [];
  const answer = (payload) => {
    const data = JSON.stringify({ messageType: 'NestedAppAuthResponse', success: true, ...payload });
    setTimeout(() => listeners.forEach((listener) => listener({ data })), 0);
  };
  window.nestedAppAuthBridge = {
    addEventListener: (type, listener) => { if (type === 'message') listeners.push(listener); },
    removeEventListener: (type, listener) => { const i = listeners.indexOf(listener); if (i >= 0) listeners.splice(i, 1); },
    postMessage: async (text) => {
      const request = JSON.parse(text);
      if (request.method === 'GetInitContext') {
        answer({ requestId: request.requestId, initContext: { sdkName: 'outlook-test-host', sdkVersion: '1.0.0', capabilities: {} } });
        return;
      }
      const scopes = (request.tokenParams && request.tokenParams.scope || '').split(' ').filter(Boolean);
      const { token, claims } = await window.outlookNaaToken(request.method, scopes);
      answer({
        requestId: request.requestId,
        token: { access_token: token, id_token: token, expires_in: 3600, scope: scopes.join(' ') },
        account: {
          homeAccountId: claims.oid + '.' + claims.tid, environment: 'login.microsoftonline.com',
          tenantId: claims.tid, username: claims.preferred_username, localAccountId: claims.oid, name: claims.name,
        },
      });
    },
  };
})();`;
}

function officeScript(options: OutlookShimOptions): string {
  const sets = options.requirementSets ?? { Mailbox: '1.13' };
  return `(() => {
  const sets = ${JSON.stringify(sets)};
  const user = ${JSON.stringify(options.user)};
  const itemHandlers = [];
  const themeHandlers = [];
  const ok = (value) => ({ status: 'succeeded', value });
  const later = (fn) => setTimeout(fn, 0);
  function getter(value) {
    return { getAsync(optionsOrCallback, maybeCallback) {
      const callback = typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback;
      later(() => callback(ok(value)));
    } };
  }
  function toItem(spec) {
    if (!spec) return null;
    const wrap = (value) => (spec.mode === 'compose' ? getter(value ?? []) : value ?? []);
    const wrapOne = (value) => (spec.mode === 'compose' ? getter(value ?? null) : value);
    const item = { itemType: spec.itemType, itemId: spec.mode === 'read' ? 'AAMk' + Math.random().toString(36).slice(2) : undefined };
    if (spec.itemType === 'message') Object.assign(item, { from: wrapOne(spec.from), to: wrap(spec.to), cc: wrap(spec.cc) });
    else Object.assign(item, { organizer: wrapOne(spec.organizer), requiredAttendees: wrap(spec.requiredAttendees), optionalAttendees: wrap(spec.optionalAttendees) });
    return item;
  }
  let current = toItem(${JSON.stringify(options.item)});
  function newer(have, want) {
    const a = have.split('.').map(Number), b = want.split('.').map(Number);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
    }
    return true;
  }
  const info = { host: 'Outlook', platform: 'OfficeOnline' };
  const themed = newer(sets.Mailbox || '1.1', '1.14');
  let theme = ${JSON.stringify(options.theme ?? OFFICE_THEMES.colorful)};
  window.Office = {
    HostType: { Outlook: 'Outlook' },
    PlatformType: { OfficeOnline: 'OfficeOnline' },
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    EventType: { ItemChanged: 'olkItemSelectedChanged', RecipientsChanged: 'olkRecipientsChanged',
      OfficeThemeChanged: 'officeThemeChanged',
      DialogMessageReceived: 'dialogMessageReceived', DialogEventReceived: 'dialogEventReceived' },
    MailboxEnums: { ItemType: { Message: 'message', Appointment: 'appointment' } },
    onReady(callback) {
      return new Promise((resolve) => later(() => { if (callback) callback(info); resolve(info); }));
    },
    context: {
      // Outlook has the theme API from Mailbox 1.14 only
      get officeTheme() { return themed ? { ...theme } : undefined; },
      requirements: { isSetSupported: (name, version) => name in sets && newer(sets[name], version || '1.1') },
      mailbox: {
        get item() { return current; },
        userProfile: { emailAddress: user.emailAddress, displayName: user.displayName },
        addHandlerAsync(type, handler, optionsOrCallback, maybeCallback) {
          const callback = typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback;
          if (type === 'officeThemeChanged' && !themed) {
            if (callback) later(() => callback({ status: 'failed', error: { code: 5000, name: 'Hosterror', message: 'This event is not supported.' } }));
            return;
          }
          if (type === 'olkItemSelectedChanged') itemHandlers.push(handler);
          if (type === 'officeThemeChanged') themeHandlers.push(handler);
          if (callback) later(() => callback(ok(undefined)));
        },
      },
      ui: {
        displayDialogAsync(url, options, callback) {
          later(() => callback({ status: 'failed', error: { code: 12009, message: 'The test host opens no dialogs.' } }));
        },
      },
    },
  };
  // the user picks another Office theme
  window.__outlookTheme = (next) => {
    theme = next;
    for (const handler of themeHandlers) handler({ type: 'officeThemeChanged', officeTheme: { ...theme } });
  };
  // the test selects another item; a pinned pane hears ItemChanged
  window.__outlookSelect = (spec) => {
    current = toItem(spec);
    for (const handler of itemHandlers) handler({ type: 'olkItemSelectedChanged' });
  };
})();`;
}

/** Makes the page's office.js an Outlook host showing `item`. */
export async function installOutlookHost(page: Page, options: OutlookShimOptions): Promise<void> {
  const naa = options.naa;
  if (naa) {
    await page.exposeFunction('outlookNaaToken', async (method: string, scopes: string[]) => {
      naa.requests.push({ method, scopes });
      const token = await naa.token();
      const claims = JSON.parse(
        Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'),
      ) as object;
      return { token, claims };
    });
    await page.addInitScript({ content: naaBridgeScript() });
  }
  await page.route(OFFICE_JS_URL, (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', body: officeScript(options) }),
  );
}

/** The user selects another item while the pane is pinned. */
export async function selectItem(page: Page, item: ShimItem | null): Promise<void> {
  await page.evaluate(
    (spec) => (window as unknown as { __outlookSelect(s: unknown): void }).__outlookSelect(spec),
    item,
  );
}

/** The user picks another Office theme in Outlook. */
export async function setOfficeTheme(page: Page, theme: ShimOfficeTheme): Promise<void> {
  await page.evaluate(
    (next) => (window as unknown as { __outlookTheme(t: unknown): void }).__outlookTheme(next),
    theme,
  );
}
