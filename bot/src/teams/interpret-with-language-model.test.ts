import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore } from '@warmpath/shared/store/testing';
import { createTeamsBot } from './create-teams-bot.js';
import { createQuestionInterpreter } from './interpret-with-language-model.js';
import {
  aadOf,
  cardOf,
  cardTexts,
  NOW,
  ProactiveRecorder,
  seedBotTenant,
  teamsTestAdapter,
  type BotTenant,
} from './testing.js';

/** An OpenAI-compatible chat completions endpoint on loopback that answers with `reply`. */
async function startCompletionsServer(): Promise<{
  server: Server;
  url: string;
  requests: {
    path: string;
    body: { model: string; messages: { role: string; content: string }[] };
  }[];
  reply: string;
}> {
  const state = {
    server: undefined as unknown as Server,
    url: '',
    requests: [] as {
      path: string;
      body: { model: string; messages: { role: string; content: string }[] };
    }[],
    reply: '',
  };
  state.server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      state.requests.push({ path: req.url ?? '', body: JSON.parse(raw) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 0,
          model: 'local-model',
          choices: [
            {
              index: 0,
              finish_reason: 'stop',
              message: { role: 'assistant', content: state.reply },
            },
          ],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}/v1`;
  return state;
}

it('builds no interpreter when no language model is configured', () => {
  expect(createQuestionInterpreter(null)).toBeNull();
});

describeStore('the Teams bot with a language model configured', (ctx) => {
  let tenant: BotTenant;
  let llm: Awaited<ReturnType<typeof startCompletionsServer>>;
  beforeAll(async () => {
    tenant = await seedBotTenant(ctx.store);
    llm = await startCompletionsServer();
  });
  afterAll(() => new Promise<void>((resolve) => llm.server.close(() => resolve())));

  async function ask(text: string): Promise<Partial<Activity>[]> {
    const bot = createTeamsBot({
      store: ctx.store,
      config: {
        credentials: null,
        languageModel: {
          kind: 'openai',
          apiKey: 'test-key',
          model: 'local-model',
          endpoint: llm.url,
        },
      },
      now: () => NOW,
      adapter: new ProactiveRecorder(),
      typingIndicator: false,
    });
    expect(bot.usesLanguageModel).toBe(true);
    const chat = teamsTestAdapter((context) => bot.run(context), {
      tenantId: tenant.tenantId,
      aadObjectId: aadOf('finn@contoso.com'),
    });
    await chat.receiveActivity(text);
    return chat.activeQueue.splice(0).filter((a) => a.type !== 'typing');
  }

  it('sends a free-form question to the model and answers the intent and target it names from WarmPath’s own scores', async () => {
    llm.reply = '{"intent": "who-knows", "target": "Acme"}';
    const [reply] = await ask('any warm path into the acme procurement team?');
    const texts = cardTexts(cardOf(reply!));
    expect(texts.slice(0, 3)).toEqual(['Who knows Acme', 'acme.com', '**Dana Contoso**']);
    const request = llm.requests.at(-1)!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.body.model).toBe('local-model');
    expect(request.body.messages[0]?.role).toBe('system');
    expect(request.body.messages.at(-1)).toEqual({
      role: 'user',
      content: 'any warm path into the acme procurement team?',
    });
  });

  it('keeps the rules first: a question they understand never reaches the model', async () => {
    const before = llm.requests.length;
    const [reply] = await ask('how well do we know acme.com');
    expect(cardTexts(cardOf(reply!))[0]).toBe('How well we know Acme');
    expect(llm.requests.length).toBe(before);
  });

  it('says what it understands when the model finds no question in the text', async () => {
    llm.reply = '{"intent": "none", "target": ""}';
    const [reply] = await ask('what is the weather like?');
    expect(cardTexts(cardOf(reply!))[0]).toBe('I didn\'t understand "what is the weather like".');
  });
});
