// Channel routes: read/modify/delete channels, permission overwrites, threads and webhook creation.
import { randomBytes } from 'node:crypto';
import { ChannelType, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { ApiError, FormErrors, missingPermissions, unknownEntity } from '../../errors.js';
import { channelPayload } from '../../payloads.js';
import { isThread } from '../../permissions.js';
import { snowflake } from '../../snowflake.js';
import type { Services } from '../../services.js';
import type { ChannelRecord, WebhookRecord } from '../../state.js';
import { created, noContent, ok, type RestRequest, type Route } from '../router.js';
import { accessibleChannel, botId, objectBody } from './common.js';

export function channelRoutes(services: Services): Route[] {
  const { core, guilds } = services;

  const threadFrom = (request: RestRequest, parent: ChannelRecord, starterMessageId?: string) => {
    const body = objectBody(request);
    const type = starterMessageId ? ChannelType.PublicThread : ((body.type as ChannelType | undefined) ?? ChannelType.PrivateThread);
    core.permissions.requireChannel(parent.id, botId(request), type === ChannelType.PrivateThread ? P.CreatePrivateThreads : P.CreatePublicThreads);
    const errors = new FormErrors();
    if (errors.required('name', body.name)) errors.lengthBetween('name', body.name as string, 1, 100);
    errors.throwIfAny();
    const thread = guilds.createThread(parent.id, botId(request), body.name as string, { type, ...(starterMessageId ? { starterMessageId } : {}) });
    return created(channelPayload(core.state, thread));
  };

  return [
    { method: 'GET', template: '/channels/:channel_id', handler: (request) => ok(channelPayload(core.state, accessibleChannel(services, request))) },
    {
      method: 'PATCH',
      template: '/channels/:channel_id',
      handler(request) {
        const channel = accessibleChannel(services, request);
        const thread = isThread(channel);
        if (!(thread && channel.owner_id === botId(request))) {
          core.permissions.requireChannel(channel.id, botId(request), thread ? P.ManageThreads : P.ManageChannels);
        }
        const body = objectBody(request);
        const errors = new FormErrors();
        if (body.name !== undefined) errors.lengthBetween('name', body.name as string, 1, 100);
        errors.maxLength('topic', body.topic as string | undefined, 1024);
        const slowmode = body.rate_limit_per_user;
        if (slowmode !== undefined && (typeof slowmode !== 'number' || slowmode < 0 || slowmode > 21_600)) {
          errors.add('rate_limit_per_user', 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 21600.');
        }
        errors.throwIfAny();
        const patch: Partial<ChannelRecord> = Object.fromEntries(
          Object.entries(body).filter(([key]) => ['name', 'topic', 'nsfw', 'rate_limit_per_user', 'position', 'parent_id'].includes(key)),
        );
        if (thread && (body.archived !== undefined || body.locked !== undefined)) {
          patch.thread_metadata = {
            ...channel.thread_metadata!,
            ...(typeof body.archived === 'boolean' ? { archived: body.archived, archive_timestamp: new Date().toISOString() } : {}),
            ...(typeof body.locked === 'boolean' ? { locked: body.locked } : {}),
          };
        }
        return ok(channelPayload(core.state, guilds.updateChannel(channel, patch)));
      },
    },
    {
      method: 'DELETE',
      template: '/channels/:channel_id',
      handler(request) {
        const channel = accessibleChannel(services, request);
        core.permissions.requireChannel(channel.id, botId(request), isThread(channel) ? P.ManageThreads : P.ManageChannels);
        guilds.deleteChannel(channel);
        return ok(channelPayload(core.state, channel));
      },
    },
    {
      method: 'PUT',
      template: '/channels/:channel_id/permissions/:overwrite_id',
      handler(request) {
        const channel = accessibleChannel(services, request, [P.ManageRoles]);
        const body = objectBody(request);
        const errors = new FormErrors();
        if (body.type !== 0 && body.type !== 1) errors.add('type', 'BASE_TYPE_CHOICES', 'Value must be one of {0, 1}.');
        errors.throwIfAny();
        const allow = BigInt((body.allow as string | undefined) ?? '0');
        const deny = BigInt((body.deny as string | undefined) ?? '0');
        // Like Discord, a bot can only allow or deny permissions it has in the server (or the parent category).
        if ((allow | deny) & ~core.permissions.grantableInChannel(channel.id, botId(request))) throw missingPermissions();
        const id = request.params.overwrite_id!;
        const overwrites = (channel.permission_overwrites ?? []).filter((overwrite) => overwrite.id !== id);
        overwrites.push({ id, type: body.type as 0 | 1, allow: allow.toString(), deny: deny.toString() });
        guilds.updateChannel(channel, { permission_overwrites: overwrites });
        return noContent();
      },
    },
    {
      method: 'DELETE',
      template: '/channels/:channel_id/permissions/:overwrite_id',
      handler(request) {
        const channel = accessibleChannel(services, request, [P.ManageRoles]);
        const overwrites = channel.permission_overwrites ?? [];
        if (!overwrites.some((overwrite) => overwrite.id === request.params.overwrite_id)) throw unknownEntity('overwrite');
        guilds.updateChannel(channel, { permission_overwrites: overwrites.filter((overwrite) => overwrite.id !== request.params.overwrite_id) });
        return noContent();
      },
    },
    { method: 'POST', template: '/channels/:channel_id/threads', handler: (request) => threadFrom(request, accessibleChannel(services, request)) },
    {
      method: 'POST',
      template: '/channels/:channel_id/messages/:message_id/threads',
      handler(request) {
        const channel = accessibleChannel(services, request);
        const message = services.messages.get(channel.id, request.params.message_id!);
        if (core.state.channels.has(message.data.id)) throw new ApiError(400, 160004, 'A thread has already been created for this message');
        return threadFrom(request, channel, message.data.id);
      },
    },
    {
      method: 'POST',
      template: '/channels/:channel_id/webhooks',
      handler(request) {
        const channel = accessibleChannel(services, request, [P.ManageWebhooks]);
        const name = objectBody(request).name;
        const errors = new FormErrors();
        if (errors.required('name', name)) {
          errors.lengthBetween('name', name as string, 1, 80);
          if (/clyde|discord/i.test(String(name))) errors.add('name', 'WEBHOOK_INVALID_NAME', 'Webhook names cannot contain "clyde" or "discord"');
        }
        errors.throwIfAny();
        const webhook: WebhookRecord = {
          id: snowflake(),
          token: randomBytes(34).toString('base64url'),
          channel_id: channel.id,
          guild_id: channel.guild_id!,
          name: name as string,
          application_id: request.app!.id,
          creator_id: botId(request),
        };
        core.state.webhooks.set(webhook.id, webhook);
        // Messages a webhook sends need an author: webhooks appear as bot users named after the webhook.
        core.state.users.set(webhook.id, { id: webhook.id, username: webhook.name, discriminator: '0000', global_name: null, avatar: null, bot: true });
        core.changed();
        return ok({ ...webhook, type: 1, avatar: null, user: undefined });
      },
    },
  ];
}

