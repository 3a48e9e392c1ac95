// Intro requests: a colleague asks another to introduce them, and hears the answer.
export * from './types.js';
export { IntroRequestError, type IntroRequestErrorCode } from './errors.js';
export {
  createIntroRequest,
  MAX_INTRO_NOTE_LENGTH,
  type CreatedIntroRequest,
  type CreateIntroRequestProps,
} from './create-intro-request.js';
export {
  decideIntroRequest,
  type DecidedIntroRequest,
  type DecideIntroRequestProps,
} from './decide-intro-request.js';
export {
  getIntroRequest,
  listIntroRequests,
  MAX_LISTED_INTRO_REQUESTS,
  type IntroRequestLists,
  type ListIntroRequestsProps,
} from './list-intro-requests.js';
export {
  deleteBotConversation,
  getBotConversation,
  saveBotConversation,
  type SaveBotConversationProps,
} from './bot-conversations.js';
