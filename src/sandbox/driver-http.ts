// The driver over HTTP under /_sandbox, so a human can play a member with curl; bodies are zod-validated.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { SandboxDriver } from './driver.js';
import type { InteractionHandle } from './interactions.js';

const snowflakeId = z.string().regex(/^\d{17,20}$/, 'must be a snowflake');
const optionValue = z.union([z.string(), z.number(), z.boolean()]);

interface HttpRoute {
  method: string;
  pattern: RegExp;
  schema?: z.ZodType;
  run(driver: SandboxDriver, params: string[], body: never): unknown;
}

const interactionView = (handle: InteractionHandle) => ({ id: handle.id, token: handle.token, status: handle.status() });

const routes: HttpRoute[] = [
  { method: 'GET', pattern: /^\/state$/, run: (driver) => driver.snapshot() },
  {
    method: 'POST',
    pattern: /^\/users$/,
    schema: z.object({ username: z.string().min(2).max(32), globalName: z.string().optional(), bot: z.boolean().optional() }),
    run: (driver, _params, body: { username: string; globalName?: string; bot?: boolean }) => driver.createUser(body),
  },
  {
    method: 'POST',
    pattern: /^\/guilds$/,
    schema: z.object({ name: z.string().min(2).max(100), ownerId: snowflakeId.optional() }),
    run: (driver, _params, body: { name: string; ownerId?: string }) => driver.createGuild(body),
  },
  {
    method: 'POST',
    pattern: /^\/guilds\/(\d+)\/members$/,
    schema: z.object({ userId: snowflakeId, roles: z.array(snowflakeId).optional(), nick: z.string().max(32).optional() }),
    run: (driver, [guildId], body: { userId: string; roles?: string[]; nick?: string }) =>
      driver.addMember(guildId!, body.userId, { ...(body.roles ? { roles: body.roles } : {}), ...(body.nick ? { nick: body.nick } : {}) }),
  },
  {
    method: 'POST',
    pattern: /^\/guilds\/(\d+)\/channels$/,
    schema: z.object({ name: z.string().min(1).max(100), type: z.number().int().optional() }),
    run: (driver, [guildId], body: { name: string; type?: number }) => driver.createChannel(guildId!, body),
  },
  {
    method: 'POST',
    pattern: /^\/channels\/(\d+)\/messages$/,
    schema: z.object({ userId: snowflakeId, content: z.string().min(1).max(2000), replyTo: snowflakeId.optional() }),
    run: (driver, [channelId], body: { userId: string; content: string; replyTo?: string }) => driver.sendMessage(body.userId, channelId!, body),
  },
  { method: 'GET', pattern: /^\/channels\/(\d+)\/messages$/, run: (driver, [channelId]) => driver.channelMessages(channelId!) },
  {
    method: 'POST',
    pattern: /^\/channels\/(\d+)\/messages\/(\d+)\/reactions$/,
    schema: z.object({ userId: snowflakeId, emoji: z.string().min(1) }),
    run: (driver, [channelId, messageId], body: { userId: string; emoji: string }) => driver.react(body.userId, channelId!, messageId!, body.emoji) ?? { ok: true },
  },
  {
    method: 'POST',
    pattern: /^\/commands$/,
    schema: z.object({ userId: snowflakeId, guildId: snowflakeId, channelId: snowflakeId, name: z.string().min(1), options: z.record(z.string(), optionValue).optional() }),
    run: (driver, _params, body: { userId: string; guildId: string; channelId: string; name: string; options?: Record<string, string | number | boolean> }) =>
      interactionView(driver.runSlashCommand(body.userId, body.guildId, body.channelId, body.name, body.options ?? {})),
  },
  {
    method: 'POST',
    pattern: /^\/message-commands$/,
    schema: z.object({ userId: snowflakeId, guildId: snowflakeId, channelId: snowflakeId, name: z.string().min(1), targetMessageId: snowflakeId }),
    run: (driver, _params, body: { userId: string; guildId: string; channelId: string; name: string; targetMessageId: string }) =>
      interactionView(driver.runMessageCommand(body.userId, body.guildId, body.channelId, body.name, body.targetMessageId)),
  },
  {
    method: 'POST',
    pattern: /^\/buttons$/,
    schema: z.object({ userId: snowflakeId, channelId: snowflakeId, messageId: snowflakeId, customId: z.string().min(1).max(100) }),
    run: (driver, _params, body: { userId: string; channelId: string; messageId: string; customId: string }) =>
      interactionView(driver.clickButton(body.userId, body.channelId, body.messageId, body.customId)),
  },
  {
    method: 'POST',
    pattern: /^\/selects$/,
    schema: z.object({ userId: snowflakeId, channelId: snowflakeId, messageId: snowflakeId, customId: z.string().min(1).max(100), values: z.array(z.string()) }),
    run: (driver, _params, body: { userId: string; channelId: string; messageId: string; customId: string; values: string[] }) =>
      interactionView(driver.selectMenu(body.userId, body.channelId, body.messageId, body.customId, body.values)),
  },
  {
    method: 'POST',
    pattern: /^\/modals$/,
    schema: z.object({ userId: snowflakeId, interactionId: snowflakeId, customId: z.string().min(1), fields: z.record(z.string(), z.string()) }),
    run: (driver, _params, body: { userId: string; interactionId: string; customId: string; fields: Record<string, string> }) =>
      interactionView(driver.submitModal(body.userId, body.interactionId, body)),
  },
  { method: 'GET', pattern: /^\/users\/(\d+)\/ephemeral$/, run: (driver, [userId]) => driver.ephemeralMessagesFor(userId!) },
  { method: 'GET', pattern: /^\/users\/(\d+)\/dms$/, run: (driver, [userId]) => driver.dmsFor(userId!) },
  { method: 'GET', pattern: /^\/rest-log$/, run: (driver) => driver.restLog() },
  { method: 'GET', pattern: /^\/guilds\/(\d+)\/commands$/, run: (driver, [guildId]) => driver.commandsIn(guildId!) },
  {
    method: 'GET',
    pattern: /^\/interactions\/(\d+)$/,
    run: (driver, [interactionId]) => {
      const interaction = driver.interaction(interactionId!);
      if (!interaction) throw new Error(`No interaction ${interactionId}`);
      return interaction;
    },
  },
];

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body ?? null));
}

/** Handles `path` relative to `/_sandbox`. */
export async function handleDriverHttp(driver: SandboxDriver, request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
  let params: string[] | undefined;
  const route = routes.find((candidate) => candidate.method === request.method && (params = candidate.pattern.exec(path)?.slice(1)));
  if (!route || !params) return send(response, 404, { error: `No sandbox route ${request.method} ${path}` });
  let body: unknown;
  if (route.schema) {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      return send(response, 400, { error: 'Body must be JSON' });
    }
    const parsed = route.schema.safeParse(body);
    if (!parsed.success) return send(response, 400, { error: 'Invalid body', details: z.treeifyError(parsed.error) });
    body = parsed.data;
  }
  try {
    send(response, 200, route.run(driver, params, body as never));
  } catch (error) {
    send(response, 400, { error: error instanceof Error ? error.message : String(error) });
  }
}
