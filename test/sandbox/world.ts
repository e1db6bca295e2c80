// Shared fixture for sandbox tests: a sandbox, an application, a guild with a channel and a member, and a logged-in client.
import { Client, GatewayIntentBits, type ClientOptions } from 'discord.js';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { startDiscordSandbox, type DiscordSandbox, type DiscordSandboxOptions } from '../../src/sandbox/index.js';

export interface World {
  sandbox: DiscordSandbox;
  app: { applicationId: string; botUserId: string; token: string; publicKey: string };
  guildId: string;
  channelId: string;
  memberId: string;
  ownerId: string;
  moderatorRoleId: string;
}

export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.ManageMessages;

/** `privilegedIntents: false` makes an application that has not switched on Message Content (or Members) in the portal. */
export async function createWorld({ privilegedIntents, ...options }: DiscordSandboxOptions & { privilegedIntents?: boolean } = {}): Promise<World> {
  // Discord's rate limits stay on, as in production: a test that turns them off says why.
  const sandbox = await startDiscordSandbox(options);
  const { driver } = sandbox;
  const app = driver.createApplication({ name: 'Steward', botUsername: 'steward', ...(privilegedIntents === undefined ? {} : { privilegedIntents }) });
  const ownerId = driver.createUser({ username: 'owner' }).id;
  const guildId = driver.createGuild({ name: 'Test Guild', ownerId }).id;
  const channelId = driver.createChannel(guildId, { name: 'general' }).id;
  const moderatorRoleId = driver.createRole(guildId, { name: 'Moderator', permissions: PermissionFlagsBits.KickMembers, position: 5 }).id;
  const memberId = driver.createUser({ username: 'alice', globalName: 'Alice' }).id;
  driver.addMember(guildId, memberId);
  driver.addBotToGuild(app.applicationId, guildId, { permissions: BOT_PERMISSIONS });
  return { sandbox, app, guildId, channelId, memberId, ownerId, moderatorRoleId };
}

export const ALL_TEST_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMembers,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.GuildMessageReactions,
  GatewayIntentBits.DirectMessages,
];

/** A discord.js client logged in to the sandbox and past its `ready` event. */
export async function loginClient(world: World, options: Partial<ClientOptions> = {}): Promise<Client> {
  const client = new Client({ intents: ALL_TEST_INTENTS, ...options, rest: { api: `${world.sandbox.url}/api`, ...options.rest } });
  const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
  await client.login(world.app.token);
  await ready;
  return client;
}

export async function registerCommands(world: World, client: Client, commands: unknown[]): Promise<void> {
  await client.application!.commands.set(commands as never, world.guildId);
}
