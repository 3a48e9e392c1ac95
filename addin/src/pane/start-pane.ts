// Start-up before React: office.js, local mode and sign-in, and the first participants question,
// all under way while the pane's components load. No React or Fluent here, so this runs first.
import {
  createApiClient,
  listLocalUsers,
  localTokenProvider,
  rememberedLocalUpn,
  type ApiClient,
  type LocalUser,
  type ParticipantsAnswer,
  type TokenProvider,
} from '@warmpath/tab/ui';
import { dialogTokenProvider, naaTokenProvider, ssoConfigFromEnv } from '../auth/addin-sso.js';
import { connectToOutlook, type OutlookHost } from '../office/outlook-host.js';
import { readParticipants } from '../office/read-participants.js';
import { splitParticipants } from './external-participants.js';

export type Boot =
  | { step: 'connecting' }
  | { step: 'signed-in'; host: OutlookHost | null; api: ApiClient; localUser?: LocalUser }
  | { step: 'local-sign-in'; host: OutlookHost | null; users: LocalUser[] }
  | { step: 'stuck'; title: string; message: string };

const prefetched = new Map<string, Promise<ParticipantsAnswer>>();

/** The answer asked for during start-up, once; later questions go to the service. */
export function takePrefetchedAnswer(key: string): Promise<ParticipantsAnswer> | undefined {
  const answer = prefetched.get(key);
  prefetched.delete(key);
  return answer;
}

export function participantsKey(emails: string[]): string {
  return emails.join(',');
}

export function signedIn(
  host: OutlookHost | null,
  getToken: TokenProvider,
  localUser?: LocalUser,
): Boot {
  const api = createApiClient({ getToken });
  if (host) prefetchFirstItem(host, api);
  return { step: 'signed-in', host, api, ...(localUser ? { localUser } : {}) };
}

function prefetchFirstItem(host: OutlookHost, api: ApiClient): void {
  const item = host.currentItem();
  if (item === null) return;
  void readParticipants(item)
    .then((participants) => {
      const emails = splitParticipants(participants, host.userEmail).external.map((p) => p.email);
      if (emails.length === 0) return;
      const answer = api.participants(emails);
      answer.catch(() => undefined); // the pane asks again and shows the error itself
      prefetched.set(participantsKey(emails), answer);
    })
    .catch(() => undefined);
}

export async function startPane(): Promise<Boot> {
  const hostReady = connectToOutlook();
  const usersReady = listLocalUsers();
  const config = ssoConfigFromEnv(import.meta.env, window.location.origin);
  const naa = (host: OutlookHost | null): host is OutlookHost =>
    host !== null && config !== null && host.supports('NestedAppAuth', '1.1');
  const upn = rememberedLocalUpn();
  const remembered = upn === null ? null : rememberedSession(upn, hostReady, naa);

  // Outlook brokers the token (NAA) whenever this build has an app registration and the host can
  const host = await hostReady;
  if (naa(host) && config !== null) return signedIn(host, naaTokenProvider(config));
  const localUsers = await usersReady;
  if (localUsers !== null) {
    // the service runs on its simulator: only simulator tokens work, in Outlook or not
    const localUser = localUsers.find((user) => user.upn === upn);
    return localUser && remembered
      ? { step: 'signed-in', host, api: remembered, localUser }
      : { step: 'local-sign-in', host, users: localUsers };
  }
  if (host === null) {
    return {
      step: 'stuck',
      title: 'Open WarmPath from Outlook.',
      message: 'This pane works inside Outlook, next to an email or a meeting.',
    };
  }
  if (config === null) {
    return {
      step: 'stuck',
      title: 'WarmPath is not set up yet.',
      message: 'This copy of the add-in has no sign-in settings. Tell your Microsoft 365 admin.',
    };
  }
  return signedIn(
    host,
    dialogTokenProvider(new URL('auth-dialog.html', window.location.href).href),
  );
}

/**
 * A returning local user: signs in at once, and since only a service on its simulator hands out
 * that token, the first question goes out as soon as Outlook is ready, not after the user list.
 */
function rememberedSession(
  upn: string,
  hostReady: Promise<OutlookHost | null>,
  naa: (host: OutlookHost | null) => boolean,
): ApiClient {
  const getToken = localTokenProvider(upn);
  const api = createApiClient({ getToken });
  void Promise.all([hostReady, getToken()])
    .then(([host]) => {
      if (host !== null && !naa(host)) prefetchFirstItem(host, api);
    })
    .catch(() => undefined); // not local mode, or the user is gone: startPane decides
  return api;
}
