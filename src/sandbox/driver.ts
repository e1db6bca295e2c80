// The in-process driver: set up a world, act as members (messages, reactions, commands, components, modals), observe.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  InteractionResponseType,
  InteractionType,
  PermissionFlagsBits as P,
} from 'discord-api-types/v10';
import type { RestLogEntry, SandboxEvents } from './core.js';
import type { NewChannel, NewRole } from './guilds.js';
import { chatInputOptions, Resolved, type OptionValues } from './interaction-payloads.js';
import type { InteractionHandle } from './interactions.js';
import { channelPayload, guildPayload, memberPayload, messagePayload, rolePayload, userPayload, type Json } from './payloads.js';
import type { RestApi } from './rest/api.js';
import { snowflake } from './snowflake.js';
import type { Services } from './services.js';
import type { ChannelRecord, CommandRecord, StoredMessage } from './state.js';

/** Application flags for the three privileged intents when enabled (GATEWAY_*_LIMITED variants). */
const PRIVILEGED_FLAGS = (1 << 15) | (1 << 13) | (1 << 19);

export interface CreatedApplication {
  applicationId: string;
  botUserId: string;
  token: string;
  publicKey: string;
}

export interface DriverAttachment {
  filename: string;
  contentType?: string;
  size?: number;
}

interface ComponentJson extends Json {
  type: number;
  custom_id?: string;
  disabled?: boolean;
  options?: Array<{ value: string }>;
  min_values?: number;
  max_values?: number;
  components?: ComponentJson[];
}

export class SandboxDriver {
  constructor(
    private readonly services: Services,
    private readonly rest: RestApi,
  ) {}

  private get core() {
    return this.services.core;
  }

  private get state() {
    return this.services.core.state;
  }

  // ---- set up ----

  createApplication(input: { name: string; botUsername: string; privilegedIntents?: boolean }): CreatedApplication {
    const bot = this.createUser({ username: input.botUsername, bot: true });
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const rawPublicKey = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
    const id = snowflake();
    // Same three-part shape as Discord bot tokens: base64 user id, timestamp part, HMAC part.
    const token = `${Buffer.from(bot.id).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(27).toString('base64url')}`;
    this.state.applications.set(id, {
      id,
      name: input.name,
      botUserId: bot.id,
      token,
      publicKey: rawPublicKey,
      privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      flags: input.privilegedIntents === false ? 0 : PRIVILEGED_FLAGS,
      interactionsEndpointUrl: null,
    });
    this.core.changed();
    return { applicationId: id, botUserId: bot.id, token, publicKey: rawPublicKey };
  }

  /**
   * Points interaction delivery at an HTTP endpoint. Like Discord, first checks that it answers a signed PING with
   * PONG and rejects a request with a bad signature (401).
   */
  async setInteractionsEndpoint(applicationId: string, url: string | null): Promise<void> {
    const app = this.state.applications.get(applicationId);
    if (!app) throw new Error(`Unknown application ${applicationId}`);
    if (url) {
      const ping = { id: snowflake(), application_id: app.id, type: InteractionType.Ping, token: 'ping', version: 1 };
      const pong = await this.services.interactions.postSigned(url, app.privateKeyPem, ping);
      const body = (await pong.json().catch(() => ({}))) as Json;
      if (pong.status !== 200 || body.type !== InteractionResponseType.Pong) throw new Error('Interactions endpoint did not answer PING with PONG');
      const tampered = await this.services.interactions.postSigned(url, app.privateKeyPem, ping, true);
      if (tampered.status !== 401) throw new Error('Interactions endpoint accepted an invalid signature');
    }
    app.interactionsEndpointUrl = url;
    this.core.changed();
  }

  createUser(input: { username: string; globalName?: string; bot?: boolean; createdAt?: Date }): Json & { id: string } {
    const user = {
      id: snowflake(input.createdAt?.getTime()),
      username: input.username,
      global_name: input.globalName ?? null,
      discriminator: '0',
      avatar: null,
      ...(input.bot ? { bot: true } : {}),
    };
    this.state.users.set(user.id, user);
    this.core.changed();
    return { ...userPayload(user), id: user.id };
  }

  createGuild(input: { name: string; ownerId?: string }): Json & { id: string } {
    const ownerId = input.ownerId ?? this.createUser({ username: `${input.name.toLowerCase().replace(/\W+/g, '')}-owner` }).id;
    const guild = this.services.guilds.createGuild(input.name, ownerId);
    return { ...guildPayload(this.state, guild), id: guild.id };
  }

  createChannel(guildId: string, input: NewChannel): Json & { id: string } {
    const channel = this.services.guilds.createChannel(guildId, input);
    return { ...channelPayload(this.state, channel), id: channel.id };
  }

  createThread(channelId: string, input: { name: string; starterMessageId?: string; ownerId?: string; type?: ChannelType }): Json & { id: string } {
    const parent = this.services.guilds.channel(channelId);
    const ownerId = input.ownerId ?? this.state.guilds.get(parent.guild_id!)!.owner_id;
    const thread = this.services.guilds.createThread(channelId, ownerId, input.name, {
      ...(input.type !== undefined ? { type: input.type } : {}),
      ...(input.starterMessageId ? { starterMessageId: input.starterMessageId } : {}),
    });
    return { ...channelPayload(this.state, thread), id: thread.id };
  }

  createRole(guildId: string, input: NewRole): Json & { id: string } {
    const role = this.services.guilds.createRole(guildId, input);
    return { ...rolePayload(role), id: role.id };
  }

  addMember(guildId: string, userId: string, input: { roles?: string[]; nick?: string; joinedAt?: Date } = {}): Json {
    return memberPayload(this.state, this.services.guilds.addMember(guildId, userId, input));
  }

  removeMember(guildId: string, userId: string): void {
    this.services.guilds.removeMember(guildId, userId);
  }

  /** A server admin giving a member (or a bot) another role in the server settings. */
  grantRole(guildId: string, userId: string, roleId: string): void {
    const member = this.services.guilds.member(guildId, userId);
    if (!member.roles.includes(roleId)) this.services.guilds.updateMember(guildId, member, { roles: [...member.roles, roleId] });
  }

  /**
   * A moderator acting by hand in Discord's own UI: the same permission and hierarchy checks as the API, the same
   * events, and an audit log entry naming the moderator.
   */
  moderateByHand(
    moderatorId: string,
    guildId: string,
    action: { type: 'ban' | 'kick' | 'unban'; targetId: string; reason?: string } | { type: 'timeout'; targetId: string; until: Date | null; reason?: string },
  ): void {
    const { guilds, core } = this.services;
    const actor = { userId: moderatorId, reason: action.reason ?? null };
    const needed = { ban: P.BanMembers, unban: P.BanMembers, kick: P.KickMembers, timeout: P.ModerateMembers }[action.type];
    core.permissions.requireGuild(guildId, moderatorId, needed);
    if (action.type !== 'unban' && this.state.guildMembers(guildId).has(action.targetId)) core.permissions.requireAbove(guildId, moderatorId, action.targetId);
    if (action.type === 'ban') guilds.ban(guildId, action.targetId, actor);
    else if (action.type === 'unban') guilds.unban(guildId, action.targetId, actor);
    else if (action.type === 'kick') guilds.kick(guildId, action.targetId, actor);
    else if (action.type === 'timeout') guilds.updateMember(guildId, guilds.member(guildId, action.targetId), { communication_disabled_until: action.until?.toISOString() ?? null }, actor);
  }

  /** A member clicks "Interested" on a scheduled event in the server's Events tab. */
  markInterested(userId: string, guildId: string, scheduledEventId: string): void {
    const event = this.state.scheduledEvents.get(scheduledEventId);
    if (!event || event.guild_id !== guildId) throw new Error(`No scheduled event ${scheduledEventId} in ${guildId}`);
    event.user_count++;
    this.core.dispatch({ event: 'GUILD_SCHEDULED_EVENT_USER_ADD', data: { guild_scheduled_event_id: scheduledEventId, user_id: userId, guild_id: guildId }, guildId });
  }

  scheduledEvents(guildId: string): Json[] {
    return [...this.state.scheduledEvents.values()].filter((event) => event.guild_id === guildId).map((event) => ({ ...event }) as unknown as Json);
  }

  auditLog(guildId: string): Json[] {
    return this.state.guildAuditLog(guildId).map((entry) => ({ ...entry }));
  }

  addBotToGuild(applicationId: string, guildId: string, input: { permissions: bigint | string }): Json {
    const app = this.state.applications.get(applicationId);
    if (!app) throw new Error(`Unknown application ${applicationId}`);
    return memberPayload(this.state, this.services.guilds.addBot(guildId, app.botUserId, input.permissions));
  }

  /**
   * New accounts joining at once (a raid) or spread out: `count` users created `accountAgeDays` ago, joining
   * `intervalMs` apart. Resolves with their ids once the last has joined.
   */
  async joinBurst(guildId: string, input: { count: number; accountAgeDays: number; intervalMs?: number; namePrefix?: string }): Promise<string[]> {
    const joined: string[] = [];
    for (let index = 0; index < input.count; index++) {
      if (index > 0 && input.intervalMs) await new Promise((resolve) => setTimeout(resolve, input.intervalMs));
      const createdAt = new Date(Date.now() - input.accountAgeDays * 86_400_000);
      const user = this.createUser({ username: `${input.namePrefix ?? 'joiner'}${index}-${randomBytes(3).toString('hex')}`, createdAt });
      this.addMember(guildId, user.id);
      joined.push(user.id);
    }
    return joined;
  }

  /** A user follows an invite link; refused while the server's invites are paused (INVITES_DISABLED), as in Discord. */
  joinWithInvite(userId: string, code: string): Json {
    const invite = this.state.invites.get(code);
    if (!invite) throw new Error(`Unknown invite ${code}`);
    if (this.services.guilds.guild(invite.guild_id).features.includes('INVITES_DISABLED')) throw new Error('Invites are paused for this server');
    invite.uses++;
    return this.addMember(invite.guild_id, userId);
  }

  /** A member creates an invite link to a channel (as anyone with Create Invite can in Discord's UI). */
  createInvite(userId: string, channelId: string): string {
    const channel = this.services.guilds.channel(channelId);
    this.core.permissions.requireChannel(channelId, userId, P.CreateInstantInvite);
    const code = randomBytes(6).toString('base64url').slice(0, 8);
    this.state.invites.set(code, { code, guild_id: channel.guild_id!, channel_id: channelId, inviter_id: userId, uses: 0, max_uses: 0, max_age: 0, temporary: false, created_at: new Date().toISOString() });
    return code;
  }

  invites(guildId: string): Json[] {
    return [...this.state.invites.values()].filter((invite) => invite.guild_id === guildId).map((invite) => ({ ...invite }) as unknown as Json);
  }

  /** A moderator changing a channel by hand in Discord's UI: a permission overwrite (null removes it) or the slowmode. */
  editChannelByHand(moderatorId: string, channelId: string, change: { overwrite?: { id: string; type: 0 | 1; allow: bigint; deny: bigint } | { id: string; remove: true }; slowmodeSeconds?: number }): void {
    const { guilds, core } = this.services;
    const channel = guilds.channel(channelId);
    const patch: Partial<ChannelRecord> = {};
    if (change.overwrite) {
      core.permissions.requireChannel(channelId, moderatorId, P.ManageRoles);
      const others = (channel.permission_overwrites ?? []).filter((overwrite) => overwrite.id !== change.overwrite!.id);
      const overwrite = change.overwrite;
      patch.permission_overwrites = 'remove' in overwrite ? others : [...others, { id: overwrite.id, type: overwrite.type, allow: overwrite.allow.toString(), deny: overwrite.deny.toString() }];
    }
    if (change.slowmodeSeconds !== undefined) {
      core.permissions.requireChannel(channelId, moderatorId, P.ManageChannels);
      patch.rate_limit_per_user = change.slowmodeSeconds;
    }
    guilds.updateChannel(channel, patch);
  }

  updateGuild(guildId: string, patch: { name?: string; verification_level?: number; features?: string[] }): Json {
    return guildPayload(this.state, this.services.guilds.updateGuild(this.services.guilds.guild(guildId), patch));
  }

  // ---- act as a member ----

  sendMessage(userId: string, channelId: string, input: { content?: string; replyTo?: string; attachments?: DriverAttachment[] }): Json {
    const channel = this.services.guilds.channel(channelId);
    this.requireMemberCan(userId, channelId, channel.type === ChannelType.PublicThread || channel.type === ChannelType.PrivateThread ? P.SendMessagesInThreads : P.SendMessages);
    const attachments = (input.attachments ?? []).map((file) => {
      const id = snowflake();
      const url = `${this.services.attachments.baseUrl}/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
      return { id, filename: file.filename, size: file.size ?? 0, url, proxy_url: url, content_type: file.contentType ?? 'application/octet-stream' };
    });
    if (!input.content && attachments.length === 0) throw new Error('Cannot send an empty message');
    const message = this.services.messages.create({
      authorId: userId,
      channelId,
      content: input.content ?? '',
      attachments,
      ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    });
    return messagePayload(message, userId);
  }

  /** Opens (or reuses) the DM channel between a user and a bot and sends a message in it. */
  sendDirectMessage(userId: string, botUserId: string, content: string): Json {
    let channel = [...this.state.channels.values()].find(
      (candidate) => candidate.type === ChannelType.DM && candidate.recipient_ids?.includes(userId) && candidate.recipient_ids.includes(botUserId),
    );
    if (!channel) {
      channel = { id: snowflake(), type: ChannelType.DM, recipient_ids: [userId, botUserId], last_message_id: null };
      this.state.channels.set(channel.id, channel);
    }
    return messagePayload(this.services.messages.create({ authorId: userId, channelId: channel.id, content }), userId);
  }

  editMessage(userId: string, channelId: string, messageId: string, content: string): Json {
    const message = this.ownMessage(userId, channelId, messageId);
    return messagePayload(this.services.messages.update(message, { content }), userId);
  }

  deleteMessage(userId: string, channelId: string, messageId: string): void {
    const message = this.services.messages.get(channelId, messageId);
    if (message.data.author.id !== userId) this.requireMemberCan(userId, channelId, P.ManageMessages);
    this.services.messages.delete(message);
  }

  react(userId: string, channelId: string, messageId: string, emoji: string): void {
    this.requireMemberCan(userId, channelId, P.AddReactions);
    this.services.messages.react(userId, this.services.messages.get(channelId, messageId), { id: null, name: emoji });
  }

  unreact(userId: string, channelId: string, messageId: string, emoji: string): void {
    this.services.messages.unreact(userId, this.services.messages.get(channelId, messageId), { id: null, name: emoji });
  }

  runSlashCommand(userId: string, guildId: string, channelId: string, name: string, options: OptionValues = {}): InteractionHandle {
    const [commandName, ...path] = name.trim().split(/\s+/);
    const command = this.findCommand(guildId, commandName!, ApplicationCommandType.ChatInput);
    const resolved = new Resolved(this.core, guildId);
    const commandOptions = chatInputOptions(command, path, options, resolved, userId);
    const data = { id: command.id, name: command.name, type: command.type, options: commandOptions, resolved: resolved.toJSON(), guild_id: command.guild_id };
    return this.startCommand(userId, guildId, channelId, command, data);
  }

  runUserCommand(userId: string, guildId: string, channelId: string, name: string, targetUserId: string): InteractionHandle {
    const command = this.findCommand(guildId, name, ApplicationCommandType.User);
    const resolved = new Resolved(this.core, guildId);
    if (!resolved.user(targetUserId)) throw new Error(`Unknown user ${targetUserId}`);
    const data = { id: command.id, name: command.name, type: command.type, target_id: targetUserId, resolved: resolved.toJSON(), guild_id: command.guild_id };
    return this.startCommand(userId, guildId, channelId, command, data);
  }

  runMessageCommand(userId: string, guildId: string, channelId: string, name: string, targetMessageId: string): InteractionHandle {
    const command = this.findCommand(guildId, name, ApplicationCommandType.Message);
    const target = this.services.messages.get(channelId, targetMessageId);
    const resolved = new Resolved(this.core, guildId);
    resolved.message(target.data.id, messagePayload(target, undefined));
    const data = { id: command.id, name: command.name, type: command.type, target_id: targetMessageId, resolved: resolved.toJSON(), guild_id: command.guild_id };
    return this.startCommand(userId, guildId, channelId, command, data);
  }

  clickButton(userId: string, channelId: string, messageId: string, customId: string): InteractionHandle {
    const { message, component } = this.visibleComponent(userId, channelId, messageId, customId);
    if (component.type !== ComponentType.Button) throw new Error(`${customId} is not a button`);
    return this.startComponent(userId, message, { custom_id: customId, component_type: ComponentType.Button });
  }

  /**
   * A click on a button of a message this member cannot see (another member's ephemeral card), as a modified client
   * could send it. Discord's own client never shows them the card; the bot must still refuse such a click itself.
   */
  forgeButtonClick(userId: string, channelId: string, messageId: string, customId: string): InteractionHandle {
    const message = this.state.messages.get(messageId);
    if (!message || message.data.channel_id !== channelId) throw new Error(`No message ${messageId} in ${channelId}`);
    return this.startComponent(userId, message, { custom_id: customId, component_type: ComponentType.Button });
  }

  selectMenu(userId: string, channelId: string, messageId: string, customId: string, values: string[]): InteractionHandle {
    const { message, component } = this.visibleComponent(userId, channelId, messageId, customId);
    if (component.type !== ComponentType.StringSelect) throw new Error(`${customId} is not a string select menu`);
    const min = component.min_values ?? 1;
    const max = component.max_values ?? 1;
    if (values.length < min || values.length > max) throw new Error(`Select ${min} to ${max} values`);
    const allowed = new Set((component.options ?? []).map((option) => option.value));
    if (values.some((value) => !allowed.has(value))) throw new Error('Selected a value that is not an option of the menu');
    return this.startComponent(userId, message, { custom_id: customId, component_type: ComponentType.StringSelect, values });
  }

  /** Submits the modal the bot showed in answer to interaction `modalInteractionId`, validating like the Discord client. */
  submitModal(userId: string, modalInteractionId: string, input: { customId: string; fields: Record<string, string> }): InteractionHandle {
    const origin = this.services.interactions.get(modalInteractionId);
    const modal = origin?.modal;
    if (!origin || !modal || origin.userId !== userId) throw new Error(`No modal was shown to ${userId} for interaction ${modalInteractionId}`);
    if (modal.custom_id !== input.customId) throw new Error(`The modal's custom_id is ${String(modal.custom_id)}`);
    const inputs = ((modal.components ?? []) as ComponentJson[]).flatMap((row) => row.components ?? []);
    for (const key of Object.keys(input.fields)) {
      if (!inputs.some((field) => field.custom_id === key)) throw new Error(`The modal has no field ${key}`);
    }
    const rows = inputs.map((field) => {
      const value = input.fields[field.custom_id!] ?? '';
      const min = Number(field.min_length ?? 0);
      const max = Number(field.max_length ?? 4000);
      if (field.required !== false && value.length === 0) throw new Error(`Field ${field.custom_id} is required`);
      if (value.length > 0 && (value.length < min || value.length > max)) throw new Error(`Field ${field.custom_id} must be ${min}-${max} characters`);
      return { type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: field.custom_id, value }] };
    });
    const source = origin.sourceMessageId ? this.state.messages.get(origin.sourceMessageId) : undefined;
    return this.services.interactions.start(
      {
        applicationId: origin.applicationId,
        type: InteractionType.ModalSubmit,
        userId,
        channelId: origin.channelId,
        ...(origin.guildId ? { guildId: origin.guildId } : {}),
        data: { custom_id: input.customId, components: rows },
        ...(source ? { message: messagePayload(source, userId) } : {}),
      },
      source?.data.id,
    );
  }

  // ---- observe ----

  /** POSTs any payload to an interactions endpoint, signed with the application's key as Discord signs. */
  postSigned(applicationId: string, url: string, payload: unknown): Promise<globalThis.Response> {
    const app = this.state.applications.get(applicationId);
    if (!app) throw new Error(`No application ${applicationId}`);
    return this.services.interactions.postSigned(url, app.privateKeyPem, payload as Json);
  }

  /** The same interaction delivered a second time (a gateway replay after a reconnect, a retried HTTP delivery). */
  redeliverInteraction(interactionId: string): void {
    this.services.interactions.redeliver(interactionId);
  }

  channelMessages(channelId: string): Json[] {
    return this.state.messagesIn(channelId).map((message) => messagePayload(message, undefined));
  }

  ephemeralMessagesFor(userId: string): Json[] {
    return [...this.state.messages.values()].filter((message) => message.ephemeralFor === userId).map((message) => messagePayload(message, userId));
  }

  /** The user turns off "Allow direct messages from server members": a bot's DM to them fails with 50007. */
  closeDirectMessages(userId: string): void {
    this.state.closedDirectMessages.add(userId);
  }

  dmsFor(userId: string): Json[] {
    const channels = [...this.state.channels.values()].filter((channel) => channel.type === ChannelType.DM && channel.recipient_ids?.includes(userId));
    return channels.flatMap((channel) => this.channelMessages(channel.id));
  }

  member(guildId: string, userId: string): Json | undefined {
    const member = this.state.members.get(guildId)?.get(userId);
    return member ? memberPayload(this.state, member) : undefined;
  }

  bans(guildId: string): Array<{ userId: string; reason: string | null }> {
    return [...this.state.guildBans(guildId).values()].map((ban) => ({ userId: ban.user_id, reason: ban.reason }));
  }

  guild(guildId: string): Json | undefined {
    const guild = this.state.guilds.get(guildId);
    return guild ? guildPayload(this.state, guild) : undefined;
  }

  channel(channelId: string): Json | undefined {
    const channel = this.state.channels.get(channelId);
    return channel ? channelPayload(this.state, channel) : undefined;
  }

  /** An interaction as its member sees it: pending or answered, its replies, and the modal it opened. */
  interaction(interactionId: string): { id: string; status: string; responses: Json[]; modal: Json | null } | undefined {
    const record = this.services.interactions.get(interactionId);
    if (!record) return undefined;
    const handle = this.services.interactions.handle(record);
    return { id: record.id, status: handle.status(), responses: handle.responses(), modal: handle.modal() ?? null };
  }

  /** The commands a member of `guildId` can run: each bot's global commands and its commands for that server. */
  commandsIn(guildId: string): CommandRecord[] {
    return [...this.state.commands.values()].filter((command) => command.guild_id === undefined || command.guild_id === guildId);
  }

  registeredCommands(applicationId: string, guildId?: string): CommandRecord[] {
    return [...this.state.commands.values()].filter((command) => command.application_id === applicationId && command.guild_id === guildId);
  }

  /** An overview for humans: who and what exists (application secrets left out except the bot token). */
  snapshot(): Json {
    return {
      applications: [...this.state.applications.values()].map((app) => ({ ...app, privateKeyPem: undefined })),
      users: [...this.state.users.values()].map(userPayload),
      guilds: [...this.state.guilds.values()].map((guild) => ({
        ...guildPayload(this.state, guild),
        channels: this.state.guildChannels(guild.id).map((channel) => channelPayload(this.state, channel)),
        members: [...this.state.guildMembers(guild.id).values()].map((member) => memberPayload(this.state, member)),
      })),
    };
  }

  restLog(): RestLogEntry[] {
    return this.rest.entries();
  }

  on<K extends keyof SandboxEvents>(event: K, listener: (...args: SandboxEvents[K]) => void): () => void {
    this.core.events.on(event, listener as never);
    return () => this.core.events.off(event, listener as never);
  }

  /** Resolves with the predicate's first truthy value, re-checking after every sandbox event and every 25 ms. */
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const value = predicate();
        if (!value) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const events: Array<keyof SandboxEvents> = ['rest', 'message', 'dispatch', 'interactionResponse', 'interactionFailed'];
      const onEvent = (): void => void setImmediate(check);
      const poll = setInterval(check, 25);
      const timer = setTimeout(() => (cleanup(), reject(new Error(`waitFor timed out after ${timeoutMs}ms`))), timeoutMs);
      const cleanup = (): void => {
        clearInterval(poll);
        clearTimeout(timer);
        for (const event of events) this.core.events.off(event, onEvent);
      };
      for (const event of events) this.core.events.on(event, onEvent);
      check();
    });
  }

  // ---- helpers ----

  private requireMemberCan(userId: string, channelId: string, permission: bigint): void {
    const channel = this.services.guilds.channel(channelId);
    if (!channel.guild_id) return;
    const granted = this.core.permissions.inChannel(channelId, userId);
    if (!(granted & P.ViewChannel) || !(granted & permission)) throw new Error(`User ${userId} lacks permission in channel ${channelId}`);
  }

  private ownMessage(userId: string, channelId: string, messageId: string): StoredMessage {
    const message = this.services.messages.get(channelId, messageId);
    if (message.data.author.id !== userId) throw new Error('Members can only edit their own messages');
    return message;
  }

  private findCommand(guildId: string, name: string, type: ApplicationCommandType): CommandRecord {
    const commands = [...this.state.commands.values()].filter((command) => command.name === name && command.type === type);
    const inGuild = (command: CommandRecord) => this.state.members.get(guildId)?.has(this.state.applications.get(command.application_id)?.botUserId ?? '');
    const command = commands.find((candidate) => candidate.guild_id === guildId) ?? commands.find((candidate) => !candidate.guild_id && inGuild(candidate));
    if (!command) throw new Error(`No command "${name}" (type ${type}) is registered for guild ${guildId}`);
    return command;
  }

  private startCommand(userId: string, guildId: string, channelId: string, command: CommandRecord, data: Json): InteractionHandle {
    this.requireMemberCan(userId, channelId, P.UseApplicationCommands);
    // Discord's client hides a command from members without its default permissions (administrators see all).
    const needed = command.default_member_permissions ? BigInt(command.default_member_permissions) : 0n;
    if (needed && (this.core.permissions.base(guildId, userId) & needed) !== needed) {
      throw new Error(`Command "${command.name}" needs permissions ${needed} that ${userId} lacks`);
    }
    return this.services.interactions.start({
      applicationId: command.application_id,
      type: InteractionType.ApplicationCommand,
      userId,
      guildId,
      channelId,
      data,
    });
  }

  /** Components can be used on channel messages and on ephemeral messages shown to this user. */
  private visibleComponent(userId: string, channelId: string, messageId: string, customId: string) {
    const message = this.state.messages.get(messageId);
    if (!message || message.data.channel_id !== channelId || (message.ephemeralFor && message.ephemeralFor !== userId)) {
      throw new Error(`Message ${messageId} is not visible to ${userId} in ${channelId}`);
    }
    const walk = (components: ComponentJson[]): ComponentJson[] => components.flatMap((c) => [c, ...walk(c.components ?? [])]);
    const component = walk(message.data.components as ComponentJson[]).find((candidate) => candidate.custom_id === customId);
    if (!component) throw new Error(`Message ${messageId} has no component ${customId}`);
    if (component.disabled) throw new Error(`Component ${customId} is disabled`);
    return { message, component };
  }

  private startComponent(userId: string, message: StoredMessage, data: Json): InteractionHandle {
    const applicationId = message.data.application_id ?? this.state.applicationByBotUser(message.data.author.id)?.id;
    if (!applicationId) throw new Error('Only messages sent by an application have interactive components');
    return this.services.interactions.start(
      {
        applicationId,
        type: InteractionType.MessageComponent,
        userId,
        channelId: message.data.channel_id,
        ...(message.data.guild_id ? { guildId: message.data.guild_id } : {}),
        data,
        message: messagePayload(message, userId),
      },
      message.data.id,
    );
  }
}
