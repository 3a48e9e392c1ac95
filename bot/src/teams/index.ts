// The Teams bot: createTeamsBot for the service's /api/messages, and its IntroNotifier.
export { createTeamsBot, type TeamsBot, type TeamsBotDeps } from './create-teams-bot.js';
export { createTeamsIntroNotifier, type TeamsIntroNotifierDeps } from './teams-intro-notifier.js';
export { parseQuestion, stripMentions, type Question } from './parse-question.js';
