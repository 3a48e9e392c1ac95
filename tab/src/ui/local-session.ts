// Local mode: sign in as a simulator user in a plain browser. The chosen user is remembered so a
// reload (or a reopened pane) goes straight back in.
import { localSignIn, type TokenProvider } from './api-client.js';

const STORAGE_KEY = 'warmpath.localUpn';

export function rememberedLocalUpn(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function rememberLocalUpn(upn: string | null): void {
  try {
    if (upn === null) localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, upn);
  } catch {
    // storage can be disabled in a locked-down browser: sign-in then lasts for this page only
  }
}

/** Tokens for one simulator user; a first token fetched now, renewed on request. */
export function localTokenProvider(upn: string, baseUrl = ''): TokenProvider {
  let pending: Promise<string> | null = null;
  return ({ fresh } = {}) => {
    if (pending === null || fresh) pending = localSignIn(upn, baseUrl);
    const current = pending;
    current.catch(() => {
      if (pending === current) pending = null;
    });
    return current;
  };
}
