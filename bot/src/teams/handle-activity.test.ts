import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BotConfig } from '@warmpath/shared/config';
import { describeStore } from '@warmpath/shared/store/testing';
import { loadRestify } from '../server/restify.js';
import { createTeamsBot } from './create-teams-bot.js';
import { aadOf, NOW, seedBotTenant, type BotTenant } from './testing.js';

/** A loopback Bot Framework connector that records what the bot posts to it. */
async function startConnector(): Promise<{
  server: HttpServer;
  url: string;
  posts: { path: string; body: Record<string, unknown> }[];
}> {
  const posts: { path: string; body: Record<string, unknown> }[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      posts.push({ path: req.url ?? '', body: JSON.parse(raw || '{}') as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"reply-1"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, posts };
}

describeStore('createTeamsBot().handleActivity over HTTP', (ctx) => {
  let tenant: BotTenant;
  let connector: Awaited<ReturnType<typeof startConnector>>;
  const servers: Server[] = [];

  beforeAll(async () => {
    tenant = await seedBotTenant(ctx.store);
    connector = await startConnector();
  });
  afterAll(async () => {
    for (const server of servers)
      await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => connector.server.close(() => resolve()));
  });

  async function serve(config: BotConfig): Promise<string> {
    const bot = createTeamsBot({ store: ctx.store, config, now: () => NOW });
    const restify = loadRestify();
    const server = restify.createServer({
      name: 'warmpath-bot-test',
      handleUncaughtExceptions: false,
    });
    server.use(restify.plugins.bodyParser());
    server.post('/api/messages', async (req, res) => {
      await bot.handleActivity(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  }

  const activity = (id: string) => ({
    type: 'message',
    id,
    channelId: 'msteams',
    serviceUrl: connector.url,
    text: 'who knows Acme?',
    from: { id: '29:finn', name: 'Finn', aadObjectId: aadOf('finn@contoso.com') },
    recipient: { id: '28:warmpath', name: 'WarmPath' },
    conversation: { id: 'a:finn', conversationType: 'personal', tenantId: tenant.tenantId },
  });

  it('in local mode, answers an unauthenticated activity through the connector at its serviceUrl', async () => {
    const endpoint = await serve({ credentials: null, languageModel: null });
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity('local-1')),
    });
    expect(response.status).toBe(200);
    const reply = connector.posts.find(
      (post) => post.path === '/v3/conversations/a%3Afinn/activities/local-1',
    );
    expect(reply?.body.type).toBe('message');
    const card = (reply?.body.attachments as { content: { body: { text: string }[] } }[])[0]!
      .content;
    expect(card.body[0]!.text).toBe('Who knows Acme');
  });

  it('with a bot registration, refuses an activity without a Bot Framework token and answers nothing', async () => {
    const endpoint = await serve({
      credentials: {
        appId: '3d1c6f0e-2b5a-4c8d-9e7f-1a2b3c4d5e6f',
        appPassword: 'secret',
        tenantId: '7f3c1a52-9a4e-4d8b-a1f0-2b6c9e4d5a10',
        appType: 'SingleTenant',
      },
      languageModel: null,
    });
    const before = connector.posts.length;
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity('authenticated-1')),
    });
    expect(response.status).toBe(401);
    expect(connector.posts.length).toBe(before);
  });
});
