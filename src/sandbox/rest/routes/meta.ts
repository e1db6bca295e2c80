// Gateway discovery, the bot's own user and application, users, DM channels and application commands.
import { ApplicationCommandType, ChannelType } from 'discord-api-types/v10';
import { validateCommands } from '../../command-validation.js';
import { missingAccess, unknownEntity } from '../../errors.js';
import { channelPayload, userPayload, type Json } from '../../payloads.js';
import { snowflake } from '../../snowflake.js';
import type { Services } from '../../services.js';
import type { CommandRecord } from '../../state.js';
import { ok, type RestRequest, type Route } from '../router.js';
import { botId, memberGuild, objectBody } from './common.js';

export function metaRoutes(services: Services, gatewayUrl: () => string): Route[] {
  const { core } = services;
  const ownApp = (request: RestRequest): string => {
    if (request.params.application_id !== request.app!.id) throw missingAccess();
    return request.app!.id;
  };
  const commandsIn = (applicationId: string, guildId: string | undefined): CommandRecord[] =>
    [...core.state.commands.values()].filter((command) => command.application_id === applicationId && command.guild_id === guildId);

  /** Bulk overwrite keeps the ids of commands that survive (same name and type) and drops the rest. */
  const overwrite = (request: RestRequest, guildId: string | undefined) => {
    const applicationId = ownApp(request);
    const incoming = validateCommands(request.body);
    const existing = commandsIn(applicationId, guildId);
    for (const command of existing) core.state.commands.delete(command.id);
    const saved = incoming.map((raw): CommandRecord => {
      const type = (raw.type as ApplicationCommandType | undefined) ?? ApplicationCommandType.ChatInput;
      const previous = existing.find((command) => command.name === raw.name && command.type === type);
      const command = {
        ...raw,
        id: previous?.id ?? snowflake(),
        application_id: applicationId,
        version: snowflake(),
        type,
        description: (raw.description as string | undefined) ?? '',
        default_member_permissions: (raw.default_member_permissions as string | null | undefined) ?? null,
        nsfw: raw.nsfw === true,
        ...(guildId ? { guild_id: guildId } : { contexts: raw.contexts ?? null, integration_types: raw.integration_types ?? [0] }),
      } as CommandRecord;
      core.state.commands.set(command.id, command);
      return command;
    });
    core.changed();
    return ok(saved);
  };

  return [
    { method: 'GET', template: '/gateway', auth: false, handler: () => ok({ url: gatewayUrl() }) },
    {
      method: 'GET',
      template: '/gateway/bot',
      handler: () =>
        ok({ url: gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 } }),
    },
    { method: 'GET', template: '/users/@me', handler: (request) => ok(userPayload(core.state.users.get(botId(request))!)) },
    {
      method: 'GET',
      template: '/users/:user_id',
      handler(request) {
        const user = core.state.users.get(request.params.user_id!);
        if (!user) throw unknownEntity('user');
        return ok(userPayload(user));
      },
    },
    {
      method: 'GET',
      template: '/applications/@me',
      handler(request) {
        const app = request.app!;
        const bot = userPayload(core.state.users.get(app.botUserId)!);
        return ok({
          id: app.id,
          name: app.name,
          icon: null,
          description: '',
          bot_public: true,
          bot_require_code_grant: false,
          verify_key: app.publicKey,
          flags: app.flags,
          team: null,
          owner: bot,
          bot,
          interactions_endpoint_url: app.interactionsEndpointUrl,
          approximate_guild_count: core.state.guildsOfUser(app.botUserId).length,
        });
      },
    },
    {
      method: 'POST',
      template: '/users/@me/channels',
      handler(request) {
        const recipientId = String(objectBody(request).recipient_id ?? '');
        if (!core.state.users.has(recipientId)) throw unknownEntity('user');
        const pair = [botId(request), recipientId];
        let channel = [...core.state.channels.values()].find(
          (candidate) => candidate.type === ChannelType.DM && pair.every((id) => candidate.recipient_ids?.includes(id)),
        );
        if (!channel) {
          channel = { id: snowflake(), type: ChannelType.DM, recipient_ids: pair, last_message_id: null };
          core.state.channels.set(channel.id, channel);
          core.changed();
        }
        const payload = channelPayload(core.state, channel) as Json & { recipients: Json[] };
        return ok({ ...payload, recipients: payload.recipients.filter((user) => user.id !== botId(request)) });
      },
    },
    { method: 'GET', template: '/applications/:application_id/commands', handler: (request) => ok(commandsIn(ownApp(request), undefined)) },
    { method: 'PUT', template: '/applications/:application_id/commands', handler: (request) => overwrite(request, undefined) },
    {
      method: 'GET',
      template: '/applications/:application_id/guilds/:guild_id/commands',
      handler: (request) => ok(commandsIn(ownApp(request), memberGuild(services, request))),
    },
    {
      method: 'PUT',
      template: '/applications/:application_id/guilds/:guild_id/commands',
      handler: (request) => overwrite(request, memberGuild(services, request)),
    },
  ];
}
