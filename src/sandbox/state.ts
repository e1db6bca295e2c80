// The sandbox's in-memory world (users, guilds, channels, messages...) kept in maps keyed by snowflake, JSON-persistable.
import { readFile, writeFile } from 'node:fs/promises';
import type {
  APIApplicationCommand,
  APIMessage,
  APIOverwrite,
  APIUser,
  ChannelType,
  GuildVerificationLevel,
} from 'discord-api-types/v10';
import { compareSnowflakes } from './snowflake.js';

export interface ApplicationRecord {
  id: string;
  name: string;
  botUserId: string;
  token: string;
  publicKey: string;
  /** PKCS8 PEM of the Ed25519 private key used to sign HTTP interaction deliveries. */
  privateKeyPem: string;
  flags: number;
  interactionsEndpointUrl: string | null;
}

export interface GuildRecord {
  id: string;
  name: string;
  owner_id: string;
  verification_level: GuildVerificationLevel;
  default_message_notifications: number;
  explicit_content_filter: number;
  mfa_level: number;
  system_channel_id: string | null;
  description: string | null;
  preferred_locale: string;
  features: string[];
}

export interface MemberRecord {
  user_id: string;
  nick: string | null;
  roles: string[];
  joined_at: string;
  communication_disabled_until: string | null;
  /** Set for the bot's own membership: the managed role created when it joined. */
  managed_role_id?: string;
}

export interface RoleRecord {
  id: string;
  guild_id: string;
  name: string;
  permissions: string;
  position: number;
  color: number;
  hoist: boolean;
  mentionable: boolean;
  managed: boolean;
  bot_id?: string;
}

export interface ChannelRecord {
  id: string;
  type: ChannelType;
  guild_id?: string;
  name?: string;
  position?: number;
  parent_id?: string | null;
  permission_overwrites?: APIOverwrite[];
  topic?: string | null;
  nsfw?: boolean;
  rate_limit_per_user?: number;
  last_message_id?: string | null;
  /** Threads: the member who started it and Discord's thread metadata. */
  owner_id?: string;
  thread_metadata?: { archived: boolean; auto_archive_duration: number; archive_timestamp: string; locked: boolean };
  /** DM channels: the two participants. */
  recipient_ids?: string[];
}

export interface ReactionRecord {
  emoji: { id: string | null; name: string; animated?: boolean };
  users: string[];
}

type Json = Record<string, unknown>;

/** The API message shape with loosely typed nested objects, as validated bodies are stored verbatim. */
export type MessageData = Omit<APIMessage, 'reactions' | 'author' | 'mentions' | 'attachments' | 'embeds' | 'components'> & {
  guild_id?: string;
  author: Json & { id: string; username: string };
  mentions: Json[];
  attachments: Json[];
  embeds: Json[];
  components: Json[];
};

/** A message as stored: the API shape minus the viewer-dependent reactions, plus who may see it if ephemeral. */
export interface StoredMessage {
  data: MessageData;
  reactions: ReactionRecord[];
  /** Ephemeral messages are only shown to this user and never reach the channel. */
  ephemeralFor?: string;
  /** Idempotency key for `enforce_nonce`, with the time it was first used. */
  nonce?: { value: string; at: number };
}

export interface WebhookRecord {
  id: string;
  token: string;
  channel_id: string;
  guild_id: string;
  name: string;
  application_id: string | null;
  creator_id: string;
}

export interface CommandRecord extends APIApplicationCommand {
  guild_id?: string;
}

export interface BanRecord {
  user_id: string;
  reason: string | null;
}

/** A Guild Scheduled Event, in Discord's shape. */
export interface ScheduledEventRecord {
  id: string;
  guild_id: string;
  creator_id: string;
  name: string;
  description: string | null;
  scheduled_start_time: string;
  scheduled_end_time: string | null;
  privacy_level: number;
  /** GuildScheduledEventStatus */
  status: number;
  /** GuildScheduledEventEntityType */
  entity_type: number;
  entity_id: null;
  channel_id: string | null;
  entity_metadata: { location?: string } | null;
  user_count: number;
}

/** One audit log entry, in Discord's shape (https://discord.com/developers/docs/resources/audit-log). */
export interface AuditLogEntryRecord {
  id: string;
  guild_id: string;
  action_type: number;
  /** Who acted: a moderator in Discord's UI, or a bot through the API. */
  user_id: string;
  target_id: string | null;
  reason: string | null;
  changes?: Array<{ key: string; old_value?: unknown; new_value?: unknown }>;
}

interface SerializedState {
  version: 1;
  users: APIUser[];
  applications: ApplicationRecord[];
  guilds: GuildRecord[];
  roles: RoleRecord[];
  members: Array<[string, MemberRecord[]]>;
  bans: Array<[string, BanRecord[]]>;
  channels: ChannelRecord[];
  messages: StoredMessage[];
  webhooks: WebhookRecord[];
  commands: CommandRecord[];
  auditLog?: AuditLogEntryRecord[];
}

export interface InviteRecord {
  code: string;
  guild_id: string;
  channel_id: string;
  inviter_id: string;
  uses: number;
  max_uses: number;
  /** Seconds it lasts; 0 never expires. */
  max_age: number;
  temporary: boolean;
  created_at: string;
}

export class SandboxState {
  readonly users = new Map<string, APIUser>();
  /** Users who turned off direct messages from server members (Discord's privacy setting). */
  readonly closedDirectMessages = new Set<string>();
  readonly applications = new Map<string, ApplicationRecord>();
  readonly guilds = new Map<string, GuildRecord>();
  readonly roles = new Map<string, RoleRecord>();
  /** guild id -> user id -> member */
  readonly members = new Map<string, Map<string, MemberRecord>>();
  /** guild id -> user id -> ban */
  readonly bans = new Map<string, Map<string, BanRecord>>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly messages = new Map<string, StoredMessage>();
  /** channel id -> message ids, oldest first (ids are created in increasing order). */
  readonly channelMessageIds = new Map<string, string[]>();
  readonly webhooks = new Map<string, WebhookRecord>();
  readonly commands = new Map<string, CommandRecord>();
  /** Guild Scheduled Events by id (not persisted: a sandbox restart forgets them). */
  readonly scheduledEvents = new Map<string, ScheduledEventRecord>();
  /** guild id -> audit log entries, oldest first. */
  readonly auditLog = new Map<string, AuditLogEntryRecord[]>();
  /** Invites by code (not persisted: a sandbox restart forgets them). */
  readonly invites = new Map<string, InviteRecord>();

  applicationByToken(token: string): ApplicationRecord | undefined {
    for (const app of this.applications.values()) if (app.token === token) return app;
    return undefined;
  }

  applicationByBotUser(userId: string): ApplicationRecord | undefined {
    for (const app of this.applications.values()) if (app.botUserId === userId) return app;
    return undefined;
  }

  guildMembers(guildId: string): Map<string, MemberRecord> {
    let members = this.members.get(guildId);
    if (!members) this.members.set(guildId, (members = new Map()));
    return members;
  }

  guildBans(guildId: string): Map<string, BanRecord> {
    let bans = this.bans.get(guildId);
    if (!bans) this.bans.set(guildId, (bans = new Map()));
    return bans;
  }

  guildAuditLog(guildId: string): AuditLogEntryRecord[] {
    let entries = this.auditLog.get(guildId);
    if (!entries) this.auditLog.set(guildId, (entries = []));
    return entries;
  }

  guildRoles(guildId: string): RoleRecord[] {
    return [...this.roles.values()].filter((role) => role.guild_id === guildId).sort((a, b) => a.position - b.position);
  }

  guildChannels(guildId: string): ChannelRecord[] {
    return [...this.channels.values()].filter((channel) => channel.guild_id === guildId);
  }

  guildsOfUser(userId: string): GuildRecord[] {
    return [...this.guilds.values()].filter((guild) => this.members.get(guild.id)?.has(userId));
  }

  addMessage(message: StoredMessage): void {
    this.messages.set(message.data.id, message);
    if (message.ephemeralFor) return;
    let ids = this.channelMessageIds.get(message.data.channel_id);
    if (!ids) this.channelMessageIds.set(message.data.channel_id, (ids = []));
    const last = ids.at(-1);
    ids.push(message.data.id);
    if (last !== undefined && compareSnowflakes(last, message.data.id) > 0) ids.sort(compareSnowflakes);
  }

  removeMessage(id: string): void {
    const message = this.messages.get(id);
    if (!message) return;
    this.messages.delete(id);
    const ids = this.channelMessageIds.get(message.data.channel_id);
    const index = ids?.lastIndexOf(id) ?? -1;
    if (ids && index >= 0) ids.splice(index, 1);
  }

  /** Channel messages (never ephemeral ones), oldest first. */
  messagesIn(channelId: string): StoredMessage[] {
    const ids = this.channelMessageIds.get(channelId) ?? [];
    return ids.map((id) => this.messages.get(id)).filter((message) => message !== undefined);
  }

  serialize(): SerializedState {
    return {
      version: 1,
      users: [...this.users.values()],
      applications: [...this.applications.values()],
      guilds: [...this.guilds.values()],
      roles: [...this.roles.values()],
      members: [...this.members].map(([guildId, members]) => [guildId, [...members.values()]]),
      bans: [...this.bans].map(([guildId, bans]) => [guildId, [...bans.values()]]),
      channels: [...this.channels.values()],
      messages: [...this.messages.values()],
      webhooks: [...this.webhooks.values()],
      commands: [...this.commands.values()],
      auditLog: [...this.auditLog.values()].flat(),
    };
  }

  restore(saved: SerializedState): void {
    const fill = <T>(map: Map<string, T>, values: T[], key: (value: T) => string): void => {
      for (const value of values) map.set(key(value), value);
    };
    fill(this.users, saved.users, (user) => user.id);
    fill(this.applications, saved.applications, (app) => app.id);
    fill(this.guilds, saved.guilds, (guild) => guild.id);
    fill(this.roles, saved.roles, (role) => role.id);
    fill(this.channels, saved.channels, (channel) => channel.id);
    fill(this.webhooks, saved.webhooks, (webhook) => webhook.id);
    fill(this.commands, saved.commands, (command) => command.id);
    for (const [guildId, members] of saved.members) fill(this.guildMembers(guildId), members, (member) => member.user_id);
    for (const [guildId, bans] of saved.bans) fill(this.guildBans(guildId), bans, (ban) => ban.user_id);
    for (const message of saved.messages) this.addMessage(message);
    for (const entry of saved.auditLog ?? []) this.guildAuditLog(entry.guild_id).push(entry);
  }
}

/** Saves the state to a JSON file at most once per `delayMs`, so bursts of changes cost one write. */
export class StatePersistence {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly state: SandboxState,
    private readonly file: string,
    private readonly delayMs = 250,
  ) {}

  async load(): Promise<void> {
    const text = await readFile(this.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text !== undefined) this.state.restore(JSON.parse(text) as SerializedState);
  }

  schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.delayMs).unref();
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const snapshot = JSON.stringify(this.state.serialize());
    this.writing = this.writing.then(() => writeFile(this.file, snapshot));
    await this.writing;
  }
}
