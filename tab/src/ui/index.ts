// What the tab and the add-in share: the API client and its types, and the path components.
export * from './api-types.js';
export {
  ApiError,
  MAX_PARTICIPANTS,
  createApiClient,
  listLocalUsers,
  localSignIn,
  type ApiClient,
  type ApiClientOptions,
  type TokenProvider,
} from './api-client.js';
export { coverageText, daysAgo, plural, shortDate, stillSyncing, timeRange } from './format.js';
export { localTokenProvider, rememberLocalUpn, rememberedLocalUpn } from './local-session.js';
export { useAsync, type AsyncState } from './use-async.js';
export { ErrorNotice, errorText } from './ErrorNotice.js';
export { LocalSignIn } from './LocalSignIn.js';
export { PathCard } from './PathCard.js';
export { StrengthBadge } from './StrengthBadge.js';
