// Builds INTERACTION_CREATE bodies as Discord sends them: typed command options with resolved entities, member, permissions.
import { ApplicationCommandOptionType as OptionType, type InteractionType } from 'discord-api-types/v10';
import type { SandboxCore } from './core.js';
import { channelPayload, memberPayload, rolePayload, userPayload, type Json } from './payloads.js';
import type { CommandRecord } from './state.js';

export type OptionValues = Record<string, string | number | boolean>;

interface OptionDefinition {
  name: string;
  type: OptionType;
  required?: boolean;
  options?: OptionDefinition[];
  choices?: Array<{ value: string | number }>;
  min_value?: number;
  max_value?: number;
  min_length?: number;
  max_length?: number;
}

export class Resolved {
  private readonly users = new Map<string, Json>();
  private readonly members = new Map<string, Json>();
  private readonly roles = new Map<string, Json>();
  private readonly channels = new Map<string, Json>();
  private readonly messages = new Map<string, Json>();

  constructor(
    private readonly core: SandboxCore,
    private readonly guildId: string | undefined,
  ) {}

  user(id: string): boolean {
    const user = this.core.state.users.get(id);
    if (!user) return false;
    this.users.set(id, userPayload(user));
    const member = this.guildId ? this.core.state.members.get(this.guildId)?.get(id) : undefined;
    if (member) {
      const permissions = this.core.permissions.base(this.guildId!, id).toString();
      this.members.set(id, { ...memberPayload(this.core.state, member, false), permissions });
    }
    return true;
  }

  role(id: string): boolean {
    const role = this.core.state.roles.get(id);
    if (!role || role.guild_id !== this.guildId) return false;
    this.roles.set(id, rolePayload(role));
    return true;
  }

  channel(id: string, viewerId: string): boolean {
    const channel = this.core.state.channels.get(id);
    if (!channel || channel.guild_id !== this.guildId) return false;
    const { id: channelId, name, type, parent_id: parentId, thread_metadata: threadMetadata } = channelPayload(this.core.state, channel);
    const permissions = this.core.permissions.inChannel(id, viewerId).toString();
    this.channels.set(id, { id: channelId, name, type, permissions, parent_id: parentId, ...(threadMetadata ? { thread_metadata: threadMetadata } : {}) });
    return true;
  }

  message(id: string, message: Json): void {
    this.messages.set(id, message);
  }

  toJSON(): Json {
    const entries: Array<[string, Map<string, Json>]> = [
      ['users', this.users],
      ['members', this.members],
      ['roles', this.roles],
      ['channels', this.channels],
      ['messages', this.messages],
    ];
    return Object.fromEntries(entries.filter(([, map]) => map.size > 0).map(([key, map]) => [key, Object.fromEntries(map)]));
  }
}

function optionValue(definition: OptionDefinition, raw: unknown, resolved: Resolved, userId: string): string | number | boolean {
  const fail = (why: string): never => {
    throw new Error(`Option "${definition.name}": ${why}`);
  };
  switch (definition.type) {
    case OptionType.String: {
      const value = String(raw);
      if (definition.min_length !== undefined && value.length < definition.min_length) fail('too short');
      if (definition.max_length !== undefined && value.length > definition.max_length) fail('too long');
      return value;
    }
    case OptionType.Integer:
    case OptionType.Number: {
      const value = Number(raw);
      if (!Number.isFinite(value) || (definition.type === OptionType.Integer && !Number.isInteger(value))) fail('not a number');
      if (definition.min_value !== undefined && value < definition.min_value) fail('below min_value');
      if (definition.max_value !== undefined && value > definition.max_value) fail('above max_value');
      return value;
    }
    case OptionType.Boolean:
      if (typeof raw !== 'boolean') fail('must be a boolean');
      return raw as boolean;
    case OptionType.User:
      return resolved.user(String(raw)) ? String(raw) : fail('unknown user');
    case OptionType.Role:
      return resolved.role(String(raw)) ? String(raw) : fail('unknown role');
    case OptionType.Channel:
      return resolved.channel(String(raw), userId) ? String(raw) : fail('unknown channel');
    case OptionType.Mentionable:
      return resolved.user(String(raw)) || resolved.role(String(raw)) ? String(raw) : fail('unknown user or role');
    default:
      return fail(`option type ${definition.type} is not supported by the sandbox driver`);
  }
}

/**
 * Turns `name` ("cmd", "cmd sub" or "cmd group sub") and flat option values into Discord's nested option tree,
 * rejecting what the Discord client would not let a user submit (missing required options, bad choices...).
 */
export function chatInputOptions(command: CommandRecord, path: string[], values: OptionValues, resolved: Resolved, userId: string): Json[] {
  const walk = (definitions: OptionDefinition[], rest: string[]): Json[] => {
    const [next, ...deeper] = rest;
    if (next !== undefined) {
      const sub = definitions.find((option) => option.name === next && (option.type === OptionType.Subcommand || option.type === OptionType.SubcommandGroup));
      if (!sub) throw new Error(`Unknown subcommand "${next}" of /${command.name}`);
      return [{ name: sub.name, type: sub.type, options: walk(sub.options ?? [], deeper) }];
    }
    if (definitions.some((option) => option.type === OptionType.Subcommand || option.type === OptionType.SubcommandGroup)) {
      throw new Error(`/${command.name} needs a subcommand`);
    }
    for (const name of Object.keys(values)) {
      if (!definitions.some((option) => option.name === name)) throw new Error(`Unknown option "${name}" of /${command.name}`);
    }
    return definitions.flatMap((definition) => {
      const raw = values[definition.name];
      if (raw === undefined) {
        if (definition.required) throw new Error(`Missing required option "${definition.name}" of /${command.name}`);
        return [];
      }
      const value = optionValue(definition, raw, resolved, userId);
      if (definition.choices && !definition.choices.some((choice) => choice.value === value)) {
        throw new Error(`Option "${definition.name}" must be one of the command's choices`);
      }
      return [{ name: definition.name, type: definition.type, value }];
    });
  };
  return walk((command.options ?? []) as OptionDefinition[], path);
}

export interface InteractionContext {
  id: string;
  token: string;
  applicationId: string;
  type: InteractionType;
  userId: string;
  guildId?: string;
  channelId: string;
  data?: Json;
  message?: Json;
}

/** The envelope every interaction shares: who, where, with which permissions, and the token to answer with. */
export function interactionEnvelope(core: SandboxCore, context: InteractionContext): Json {
  const { state, permissions } = core;
  const channel = state.channels.get(context.channelId);
  const app = state.applications.get(context.applicationId)!;
  const user = state.users.get(context.userId)!;
  const member = context.guildId ? state.members.get(context.guildId)?.get(context.userId) : undefined;
  const memberPermissions = permissions.inChannel(context.channelId, context.userId).toString();
  return {
    id: context.id,
    application_id: context.applicationId,
    type: context.type,
    ...(context.data ? { data: context.data } : {}),
    ...(context.guildId
      ? {
          guild_id: context.guildId,
          guild: { id: context.guildId, locale: 'en-US', features: [] },
          guild_locale: 'en-US',
          member: member ? { ...memberPayload(state, member), permissions: memberPermissions } : undefined,
          authorizing_integration_owners: { '0': context.guildId },
          context: 0,
        }
      : { user: userPayload(user), authorizing_integration_owners: { '1': context.userId }, context: 1 }),
    channel_id: context.channelId,
    ...(channel ? { channel: { ...channelPayload(state, channel), permissions: memberPermissions } } : {}),
    ...(context.message ? { message: context.message } : {}),
    token: context.token,
    version: 1,
    app_permissions: permissions.inChannel(context.channelId, app.botUserId).toString(),
    locale: 'en-US',
    entitlements: [],
    attachment_size_limit: 10 * 1024 * 1024,
  };
}
