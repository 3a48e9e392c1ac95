// Drives the Microsoft 365 Agents Playground (npm @microsoft/m365agentsplayground) without a
// browser, through the HTTP and WebSocket API its own web client uses (not a documented API:
// see the handbook, "Local testing with no Teams tenant"). Used by the end-to-end test, and
// writePlaygroundConfig by anyone who wants the Playground's users to be directory people.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import WebSocket from 'ws';

const require = createRequire(import.meta.url);

/** A Teams user as the Playground pretends them to be. */
export interface PlaygroundUser {
  /** the channel id of the user in the Playground, e.g. "user-id-0" */
  id: string;
  name: string;
  email: string;
  /** the Entra object id the bot sees as from.aadObjectId */
  aadObjectId: string;
}

/** The Playground refuses a config with fewer other users than this. */
export const PLAYGROUND_MIN_USERS = 5;

/**
 * `.m365agentsplayground.yml`: tenant, the current user and the others (JSON strings are YAML),
 * padded with guests who are nobody in the directory up to the Playground's minimum.
 */
export function playgroundConfigYaml(options: {
  tenantId: string;
  currentUser: PlaygroundUser;
  users: PlaygroundUser[];
}): string {
  const users = [...options.users];
  for (let n = 1; users.length < PLAYGROUND_MIN_USERS; n++) {
    users.push({
      id: `guest-${n}`,
      name: `Guest ${n}`,
      email: `guest${n}@guests.invalid`,
      aadObjectId: `00000000-0000-0000-0000-0000000009${String(n).padStart(2, '0')}`,
    });
  }
  const q = (value: string) => JSON.stringify(value);
  const user = (u: PlaygroundUser, indent: string) => {
    const [givenName, ...rest] = u.name.split(' ');
    return [
      `id: ${q(u.id)}`,
      `name: ${q(u.name)}`,
      `userPrincipleName: ${q(u.email)}`,
      `aadObjectId: ${q(u.aadObjectId)}`,
      `givenName: ${q(givenName ?? u.name)}`,
      `surname: ${q(rest.join(' ') || u.name)}`,
      `email: ${q(u.email)}`,
    ]
      .map((line, index) => (index === 0 ? line : `${indent}${line}`))
      .join('\n');
  };
  return [
    'version: "0.1.1"',
    `tenantId: ${q(options.tenantId)}`,
    'bot:',
    '  id: "00000000-0000-0000-0000-00000000000011"',
    '  name: "WarmPath"',
    'currentUser:',
    `  ${user(options.currentUser, '  ')}`,
    'users:',
    ...users.map((u) => `  - ${user(u, '    ')}`),
    'personalChat:',
    '  id: "personal-chat-id"',
    'groupChat:',
    '  id: "group-chat-id"',
    '  name: "Deal room"',
    'team:',
    '  id: "team-id"',
    '  name: "Sales"',
    '  aadGroupId: "00000000-0000-0000-0000-000000000031"',
    '  channels:',
    '    - id: "channel-general-id"',
    '      name: "General"',
    '',
  ].join('\n');
}

/** One message the Playground's mock connector received from the bot. */
export interface PlaygroundMessage {
  action: string;
  conversationId: string | undefined;
  message: {
    id?: string;
    messageId?: string;
    text?: string;
    from?: { id?: string };
    conversation?: { id?: string };
    attachments?: { contentType: string; content: unknown }[];
    [key: string]: unknown;
  };
}

export interface PlaygroundConfig {
  personalChat: { id: string };
  groupChats: { id: string; name: string; members: string[] }[];
  currentUser: { id: string; name: string; aadObjectId?: string };
  bot: { id: string; name?: string };
  [key: string]: unknown;
}

export interface RunningPlayground {
  url: string;
  config: PlaygroundConfig;
  /** everything the bot sent since the stream opened, in order */
  received: PlaygroundMessage[];
  /** a user types `text` into a conversation; in group chats and channels, @mentioning the bot */
  say(
    conversationId: string,
    fromId: string,
    text: string,
    options?: { mentionBot?: boolean },
  ): Promise<void>;
  /** Teams' "Add" of the app in a conversation: installationUpdate and conversationUpdate */
  install(conversationId: string): Promise<void>;
  /**
   * Any activity, on the Playground's template for the conversation (its tenant, service URL and
   * addressing), e.g. one from another user: the Playground itself only speaks as the current user.
   * Fire and forget: an invoke's response is not returned.
   */
  sendCustomActivity(conversationId: string, activity: Record<string, unknown>): Promise<void>;
  /** a click on an Action.Execute button of the bot's message `replyToId`; the invoke response body */
  execute(
    conversationId: string,
    fromId: string,
    replyToId: string,
    verb: string,
    data: Record<string, unknown>,
  ): Promise<unknown>;
  /** resolves with the first message from the bot (after `after` messages) that `match` accepts */
  waitForBotMessage(
    match: (message: PlaygroundMessage) => boolean,
    options?: { after?: number; timeoutMs?: number },
  ): Promise<PlaygroundMessage>;
  close(): Promise<void>;
}

async function until<T>(
  read: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts the Playground CLI (no browser, no telemetry) against the bot's /api/messages, with the
 * config file given, and opens its conversation stream.
 */
export async function startAgentsPlayground(options: {
  botEndpoint: string;
  port: number;
  configPath: string;
  /** where the Playground writes its log (default next to the config) */
  logPath?: string;
}): Promise<RunningPlayground> {
  const cli = path.join(
    path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')),
    'cli.js',
  );
  const logPath = options.logPath ?? path.join(path.dirname(options.configPath), 'playground.log');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      cli,
      'start',
      '--app-endpoint',
      options.botEndpoint,
      '--port',
      String(options.port),
      '--channel-id',
      'msteams',
      '--disable-telemetry',
    ],
    {
      cwd: path.dirname(options.configPath),
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: options.configPath,
        M365_AGENTS_PLAYGROUND_LOGFILE: logPath,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${options.port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => {
      // the Playground prints its reasons to its log file, not to the console
      const log = existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
      const reasons = log.split('\n').filter((line) => line.startsWith('error'));
      reject(
        new Error(
          `the Agents Playground exited (${code}): ${reasons.join('\n') || output.slice(-2000)}`,
        ),
      );
    }),
  );
  exited.catch(() => undefined);
  await Promise.race([
    until(
      async () =>
        (await (await fetch(`${url}/_debug/ping`)).text()) === 'pong' ? true : undefined,
      30_000,
      'the Playground',
    ),
    exited,
  ]);
  const config = (
    (await (await fetch(`${url}/_internal/v1/config`)).json()) as { config: PlaygroundConfig }
  ).config;

  const received: PlaygroundMessage[] = [];
  const socket = new WebSocket(
    `${url.replace('http', 'ws')}/_ws_conversation/v1/conversations/stream`,
  );
  socket.on('message', (data: Buffer) => {
    const event = JSON.parse(data.toString()) as {
      action: string;
      message?: PlaygroundMessage['message'];
    };
    if (event.message?.from?.id !== config.bot.id) return;
    received.push({
      action: event.action,
      // the stream names the conversation as the Playground's web client knows it
      conversationId:
        event.message.conversation?.id ??
        (event.message.directLineConversationId as string | undefined),
      message: event.message,
    });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });

  const post = async (route: string, body: unknown): Promise<unknown> => {
    const response = await fetch(`${url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`Playground ${route} answered ${response.status}: ${text.slice(0, 500)}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  };

  return {
    url,
    config,
    received,
    async say(conversationId, fromId, text, sayOptions = {}) {
      // Teams delivers group chat and channel messages to a bot only when they @mention it
      const mention = `<at>${String(config.bot.name ?? 'bot')}</at>`;
      await post(`/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
        from: { id: fromId },
        text: sayOptions.mentionBot ? `${mention} ${text}` : text,
        textFormat: 'plain',
        ...(sayOptions.mentionBot
          ? { mentions: [{ mentioned: { id: config.bot.id }, text: mention }] }
          : {}),
      });
    },
    async install(conversationId) {
      await post(`/_debug/conversation/${encodeURIComponent(conversationId)}/installation`, {});
    },
    async sendCustomActivity(conversationId, activity) {
      const query = `conversationId=${encodeURIComponent(conversationId)}`;
      const template = (await (
        await fetch(`${url}/_internal/v1/customActivities/template?${query}`)
      ).json()) as Record<string, unknown>;
      await post(`/_internal/v1/customActivities?${query}`, { ...template, ...activity });
    },
    async execute(conversationId, fromId, replyToId, verb, data) {
      return post('/_conversation/v1/invoke', {
        name: 'adaptiveCard/action',
        conversation: { id: conversationId },
        from: { id: fromId },
        replyToId,
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      });
    },
    waitForBotMessage(match, waitOptions = {}) {
      return until(
        () => received.slice(waitOptions.after ?? 0).find(match),
        waitOptions.timeoutMs ?? 10_000,
        'a bot message',
      );
    },
    async close() {
      socket.close();
      if (child.exitCode === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await gone;
      }
    },
  };
}
