import { createServer, type Server } from 'node:http';
import { createPublicKey, verify } from 'node:crypto';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type Client,
  type Interaction,
  type TextChannel,
} from 'discord.js';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createWorld, loginClient, registerCommands, type World } from './world.js';

const COMMANDS = [
  { name: 'ping', description: 'Replies privately', options: [{ name: 'target', description: 'Someone', type: 6, required: false }] },
  { name: 'report', description: 'Opens a report form' },
];

describe('sandbox interactions with discord.js', () => {
  let world: World;
  let client: Client | undefined;
  let server: Server | undefined;

  afterEach(async () => {
    await client?.destroy();
    client = undefined;
    server?.close();
    server = undefined;
    await world.sandbox.close();
  });

  const onInteraction = (handler: (interaction: Interaction) => Promise<void>) =>
    client!.on('interactionCreate', (interaction) => void handler(interaction).catch(() => undefined));

  it('round-trips a slash command: ephemeral deferReply then editReply', async () => {
    world = await createWorld();
    client = await loginClient(world);
    await registerCommands(world, client, COMMANDS);
    expect(world.sandbox.driver.registeredCommands(world.app.applicationId, world.guildId).map((c) => c.name)).toEqual(['ping', 'report']);
    onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.editReply(`pong for ${interaction.options.getUser('target')?.username ?? 'nobody'}`);
    });
    const handle = world.sandbox.driver.runSlashCommand(world.memberId, world.guildId, world.channelId, 'ping', { target: world.ownerId });
    expect(await handle.waitForAck()).toMatchObject({ type: 5, data: { flags: 64 } });
    await world.sandbox.driver.waitFor(() => handle.responses()[0]?.content === 'pong for owner');
    expect(world.sandbox.driver.ephemeralMessagesFor(world.memberId)).toHaveLength(1);
    expect(world.sandbox.driver.channelMessages(world.channelId)).toHaveLength(0);
  });

  it('answers a button click with deferUpdate and an edit of the message', async () => {
    world = await createWorld();
    client = await loginClient(world);
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('approve').setLabel('Approve').setStyle(ButtonStyle.Success));
    const sent = await (client.channels.cache.get(world.channelId) as TextChannel).send({ content: 'Pending', components: [row] });
    onInteraction(async (interaction) => {
      if (!interaction.isButton()) return;
      await interaction.deferUpdate();
      await interaction.editReply({ content: `Approved by ${interaction.user.username}`, components: [] });
    });
    const handle = world.sandbox.driver.clickButton(world.memberId, world.channelId, sent.id, 'approve');
    expect((await handle.waitForAck()).type).toBe(6);
    await world.sandbox.driver.waitFor(() => world.sandbox.driver.channelMessages(world.channelId)[0]?.content === 'Approved by alice');
    expect(world.sandbox.driver.channelMessages(world.channelId)[0]?.components).toEqual([]);
  });

  it('shows a modal and receives its submission', async () => {
    world = await createWorld();
    client = await loginClient(world);
    await registerCommands(world, client, COMMANDS);
    const submitted = new Promise<string>((resolve) =>
      onInteraction(async (interaction) => {
        if (interaction.isChatInputCommand()) {
          const input = new TextInputBuilder().setCustomId('reason').setLabel('Reason').setStyle(TextInputStyle.Paragraph).setMaxLength(200);
          await interaction.showModal(new ModalBuilder().setCustomId('report-form').setTitle('Report').addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input)));
        } else if (interaction.isModalSubmit()) {
          resolve(interaction.fields.getTextInputValue('reason'));
          await interaction.reply({ content: 'Thanks', flags: MessageFlags.Ephemeral });
        }
      }),
    );
    const command = world.sandbox.driver.runSlashCommand(world.memberId, world.guildId, world.channelId, 'report');
    expect((await command.waitForAck()).type).toBe(9);
    expect(() => world.sandbox.driver.submitModal(world.memberId, command.id, { customId: 'report-form', fields: { reason: 'x'.repeat(201) } })).toThrow(/0-200/);
    const submission = world.sandbox.driver.submitModal(world.memberId, command.id, { customId: 'report-form', fields: { reason: 'spam bot' } });
    expect(await submitted).toBe('spam bot');
    await submission.waitForAck();
    expect(submission.responses()[0]).toMatchObject({ content: 'Thanks', flags: 64 });
  });

  it('fails a late interaction: the callback gets 10062 and the user sees "This interaction failed"', async () => {
    world = await createWorld({ interactionDeadlineMs: 200 });
    client = await loginClient(world);
    await registerCommands(world, client, COMMANDS);
    const late = new Promise<unknown>((resolve) =>
      onInteraction(async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        await new Promise((wait) => setTimeout(wait, 400));
        resolve(await interaction.reply('too late').catch((error: unknown) => error));
      }),
    );
    const handle = world.sandbox.driver.runSlashCommand(world.memberId, world.guildId, world.channelId, 'ping');
    await expect(handle.waitForAck()).rejects.toThrow('This interaction failed');
    expect(await late).toMatchObject({ code: 10062 });
    expect(handle.responses()).toEqual([expect.objectContaining({ content: 'This interaction failed' })]);
    const second = (await client.rest.post(`/interactions/${handle.id}/${handle.token}/callback`, { body: { type: 4, data: { content: 'x' } }, auth: false }).catch((e: unknown) => e)) as { code: number };
    expect(second.code).toBe(10062);
  });

  it('refuses a second acknowledgement with 40060', async () => {
    world = await createWorld();
    client = await loginClient(world);
    await registerCommands(world, client, COMMANDS);
    const second = new Promise<unknown>((resolve) =>
      onInteraction(async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        await interaction.reply('first');
        resolve(await client!.rest.post(`/interactions/${interaction.id}/${interaction.token}/callback`, { body: { type: 4, data: { content: 'again' } }, auth: false }).catch((e: unknown) => e));
      }),
    );
    world.sandbox.driver.runSlashCommand(world.memberId, world.guildId, world.channelId, 'ping');
    expect(await second).toMatchObject({ code: 40060 });
    expect(world.sandbox.driver.channelMessages(world.channelId).map((m) => m.content)).toEqual(['first']);
  });

  it('delivers HTTP interactions signed with Ed25519 over timestamp + body', async () => {
    world = await createWorld();
    const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(world.app.publicKey, 'hex')]), format: 'der', type: 'spki' });
    const received: Array<{ type: number }> = [];
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        const signature = Buffer.from(String(request.headers['x-signature-ed25519']), 'hex');
        const valid = verify(null, Buffer.from(String(request.headers['x-signature-timestamp']) + body), key, signature);
        if (!valid) return void response.writeHead(401).end('invalid request signature');
        const interaction = JSON.parse(body) as { type: number };
        received.push(interaction);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(interaction.type === 1 ? { type: 1 } : { type: 4, data: { content: 'via http' } }));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as { port: number };
    await world.sandbox.driver.setInteractionsEndpoint(world.app.applicationId, `http://127.0.0.1:${port}/interactions`);
    client = await loginClient(world);
    await registerCommands(world, client, COMMANDS);
    const handle = world.sandbox.driver.runSlashCommand(world.memberId, world.guildId, world.channelId, 'ping');
    expect((await handle.waitForAck()).type).toBe(4);
    expect(received.map((interaction) => interaction.type)).toEqual([1, 2]);
    expect(world.sandbox.driver.channelMessages(world.channelId)[0]).toMatchObject({ content: 'via http', interaction_metadata: { id: handle.id } });
  });
});
