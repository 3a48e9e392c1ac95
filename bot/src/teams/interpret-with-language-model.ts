// Optional: a language model reads free-form questions the rules do not understand ("any warm
// path into the Acme procurement team?") into one of the bot's questions. It only names the
// intent and the target; the answer still comes from WarmPath's own scores. Off unless configured.
import {
  ActionPlanner,
  JSONResponseValidator,
  OpenAIModel,
  Prompt,
  PromptManager,
  TextSection,
  UserMessage,
  type TurnState,
} from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { LanguageModelConfig } from '@warmpath/shared/config';
import type { Logger } from '@warmpath/shared/log';
import type { AnswerIntent } from './cards/answer-card.js';
import { MAX_TARGET_LENGTH } from './parse-question.js';

export interface InterpretedQuestion {
  intent: AnswerIntent;
  target: string;
}

export interface QuestionInterpreter {
  /** the question the text asks, or undefined when it asks none the bot answers */
  interpret(
    context: TurnContext,
    state: TurnState,
    text: string,
  ): Promise<InterpretedQuestion | undefined>;
}

const PROMPT_NAME = 'interpret-question';

const INSTRUCTIONS = `You route questions for WarmPath, which knows which colleagues have met which companies and people.
Read the user's message and answer with JSON only: {"intent": "who-knows" | "how-well" | "my-contacts" | "none", "target": "<company name, domain, email or person's name as written>"}.
who-knows: who could introduce them, or who knows a company or person. how-well: how strong the organisation's relationship is. my-contacts: whom the user personally knows there. none: anything else (then target is "").
Never answer the question yourself.`;

const SCHEMA = {
  type: 'object',
  properties: {
    intent: { type: 'string', enum: ['who-knows', 'how-well', 'my-contacts', 'none'] },
    target: { type: 'string' },
  },
  required: ['intent', 'target'],
};

/** Azure OpenAI API version used with an Azure deployment. */
export const AZURE_OPENAI_API_VERSION = '2024-06-01';

function modelFor(config: LanguageModelConfig): OpenAIModel {
  return config.kind === 'azure-openai'
    ? new OpenAIModel({
        azureApiKey: config.apiKey,
        azureEndpoint: config.endpoint,
        azureDefaultDeployment: config.deployment,
        azureApiVersion: AZURE_OPENAI_API_VERSION,
        maxRetries: 1,
        useSystemMessages: true,
      })
    : new OpenAIModel({
        apiKey: config.apiKey,
        defaultModel: config.model,
        ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
        maxRetries: 1,
        useSystemMessages: true,
      });
}

/** A teams-ai ActionPlanner over the configured model, or null when none is configured. */
export function createQuestionInterpreter(
  config: LanguageModelConfig | null,
  logger?: Logger,
): QuestionInterpreter | null {
  if (config === null) return null;
  const prompts = new PromptManager({ promptsFolder: '' });
  prompts.addPrompt({
    name: PROMPT_NAME,
    prompt: new Prompt([
      new TextSection(INSTRUCTIONS, 'system'),
      new UserMessage('{{$temp.input}}', 500),
    ]),
    config: {
      schema: 1.1,
      type: 'completion',
      description: 'Reads a free-form question into a WarmPath intent and target',
      completion: {
        completion_type: 'chat',
        include_history: false,
        include_input: false,
        include_images: false,
        max_tokens: 120,
        max_input_tokens: 1500,
        temperature: 0,
        top_p: 1,
        presence_penalty: 0,
        frequency_penalty: 0,
      },
    },
  });
  const planner = new ActionPlanner<TurnState>({
    model: modelFor(config),
    prompts,
    defaultPrompt: PROMPT_NAME,
  });
  const validator = new JSONResponseValidator<{ intent: string; target: string }>(SCHEMA);
  return {
    async interpret(context, state, text) {
      state.temp.input = text.slice(0, MAX_TARGET_LENGTH * 2);
      const response = await planner.completePrompt(context, state, PROMPT_NAME, validator);
      if (response.status !== 'success') {
        // the message content is the user's text: log the status only
        logger?.warn({ status: response.status }, 'the language model could not read a question');
        return undefined;
      }
      const value = response.message?.content as { intent?: string; target?: string } | undefined;
      const target = value?.target?.trim().slice(0, MAX_TARGET_LENGTH) ?? '';
      if (
        value?.intent === 'who-knows' ||
        value?.intent === 'how-well' ||
        value?.intent === 'my-contacts'
      ) {
        return target === '' ? undefined : { intent: value.intent, target };
      }
      return undefined;
    },
  };
}
