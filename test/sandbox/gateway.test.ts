import {
  GatewayIntentBits,
  Partials,
  type Message,
  type MessageReaction,
  type PartialMessageReaction,
  type PartialUser,
  type User,
} from 'discord.js';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createWorld, loginClient, type World } from './world.js';
import type { Client } from 'discord.js';

describe('sandbox gateway with discord.js', () => {
  let world: World;
  let client: Client | undefined;

  afterEach(async () => {
    await client?.destroy();
    client = undefined;
    await world.sandbox.close();
  });

  it('logs in and receives READY and GUILD_CREATE with channels, roles and members', async () => {
    world = await createWorld();
    client = await loginClient(world);
    expect(client.user?.id).toBe(world.app.botUserId);
    const guild = client.guilds.cache.get(world.guildId)!;
    expect(guild.name).toBe('Test Guild');
    expect(guild.channels.cache.get(world.channelId)?.name).toBe('general');
    expect(guild.roles.cache.get(world.moderatorRoleId)?.name).toBe('Moderator');
    expect(guild.members.cache.get(world.memberId)?.user.username).toBe('alice');
    expect(guild.members.me?.roles.botRole).toBeTruthy();
  });

  it('delivers a member message as messageCreate with content when the intent is requested', async () => {
    world = await createWorld();
    client = await loginClient(world);
    const received = new Promise<Message>((resolve) => client!.once('messageCreate', resolve));
    world.sandbox.driver.sendMessage(world.memberId, world.channelId, { content: 'hello bot' });
    const message = await received;
    expect(message.content).toBe('hello bot');
    expect(message.author.id).toBe(world.memberId);
    expect(message.member?.id).toBe(world.memberId);
  });

  it('blanks message content without the Message Content intent unless the bot is mentioned', async () => {
    world = await createWorld();
    client = await loginClient(world, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] });
    // Without GUILD_MEMBERS, GUILD_CREATE lists only the bot's own member.
    expect([...client.guilds.cache.get(world.guildId)!.members.cache.keys()]).toEqual([world.app.botUserId]);
    const messages: Message[] = [];
    client.on('messageCreate', (message) => messages.push(message));
    world.sandbox.driver.sendMessage(world.memberId, world.channelId, { content: 'secret' });
    world.sandbox.driver.sendMessage(world.memberId, world.channelId, { content: `<@${world.app.botUserId}> hi` });
    await world.sandbox.driver.waitFor(() => messages.length === 2);
    expect(messages[0]!.content).toBe('');
    expect(messages[1]!.content).toBe(`<@${world.app.botUserId}> hi`);
  });

  it('delivers reactions as messageReactionAdd and messageReactionRemove, with the reacting member', async () => {
    world = await createWorld();
    client = await loginClient(world, { partials: [Partials.Message, Partials.Reaction, Partials.User] });
    const message = world.sandbox.driver.sendMessage(world.memberId, world.channelId, { content: 'react to me' });
    const added = new Promise<[MessageReaction | PartialMessageReaction, User | PartialUser]>((resolve) =>
      client!.once('messageReactionAdd', (reaction, user) => resolve([reaction, user])),
    );
    world.sandbox.driver.react(world.memberId, world.channelId, String(message.id), '👍');
    const [reaction, user] = await added;
    expect(reaction.emoji.name).toBe('👍');
    expect(reaction.message.id).toBe(message.id);
    expect(user.id).toBe(world.memberId);

    const removed = new Promise<string | null>((resolve) =>
      client!.once('messageReactionRemove', (removedReaction) => resolve(removedReaction.emoji.name)),
    );
    world.sandbox.driver.unreact(world.memberId, world.channelId, String(message.id), '👍');
    expect(await removed).toBe('👍');
  });

  it('resumes after a dropped connection and replays the events missed meanwhile', async () => {
    world = await createWorld();
    client = await loginClient(world);
    const contents: string[] = [];
    client.on('messageCreate', (message) => contents.push(message.content));
    const resumed = new Promise<void>((resolve) => client!.once('shardResume', () => resolve()));
    world.sandbox.faults.dropGateway();
    world.sandbox.driver.sendMessage(world.memberId, world.channelId, { content: 'while away 1' });
    world.sandbox.driver.sendMessage(world.memberId, world.channelId, { content: 'while away 2' });
    await resumed;
    await world.sandbox.driver.waitFor(() => contents.length === 2);
    expect(contents).toEqual(['while away 1', 'while away 2']);
  });

  it('rejects a bad token', async () => {
    world = await createWorld();
    const bad = { ...world, app: { ...world.app, token: 'not-a-token' } };
    await expect(loginClient(bad)).rejects.toThrow(/token/i);
  });
});
