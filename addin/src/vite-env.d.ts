/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** the Entra app registration's client id; unset in builds that only run in local mode */
  readonly VITE_WARMPATH_CLIENT_ID?: string;
  readonly VITE_WARMPATH_AUTHORITY?: string;
  readonly VITE_WARMPATH_API_SCOPE?: string;
}
