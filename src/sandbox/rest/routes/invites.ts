// Invites: created on a channel, listed per channel or server, deleted by code; with their gateway events. Pausing
// invites is the server's INVITES_DISABLED feature (Modify Guild): invites still exist and can be created, but no
// one can join through them (see the driver's joinWithInvite).
import { randomBytes } from 'node:crypto';
import { GatewayDispatchEvents as Events, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { FormErrors, missingPermissions, unknownEntity } from '../../errors.js';
import { userPayload, type Json } from '../../payloads.js';
import type { Services } from '../../services.js';
import type { InviteRecord, SandboxState } from '../../state.js';
import { ok, type Route } from '../router.js';
import { accessibleChannel, botId, memberGuild, objectBody } from './common.js';

const MAX_AGE_SECONDS = 604_800;
const MAX_USES = 100;

export function invitePayload(state: SandboxState, invite: InviteRecord): Json {
  const guild = state.guilds.get(invite.guild_id)!;
  const channel = state.channels.get(invite.channel_id);
  const inviter = state.users.get(invite.inviter_id);
  return {
    type: 0,
    code: invite.code,
    guild: { id: guild.id, name: guild.name, features: guild.features, verification_level: guild.verification_level },
    channel: { id: invite.channel_id, name: channel?.name ?? null, type: channel?.type ?? 0 },
    inviter: inviter ? userPayload(inviter) : undefined,
    uses: invite.uses,
    max_uses: invite.max_uses,
    max_age: invite.max_age,
    temporary: invite.temporary,
    created_at: invite.created_at,
    expires_at: invite.max_age > 0 ? new Date(Date.parse(invite.created_at) + invite.max_age * 1000).toISOString() : null,
  };
}

export function inviteRoutes(services: Services): Route[] {
  const { core } = services;
  const invitesOf = (predicate: (invite: InviteRecord) => boolean) => [...core.state.invites.values()].filter(predicate).map((invite) => invitePayload(core.state, invite));

  return [
    {
      method: 'POST',
      template: '/channels/:channel_id/invites',
      handler(request) {
        const channel = accessibleChannel(services, request, [P.CreateInstantInvite]);
        const body = objectBody(request);
        const errors = new FormErrors();
        const maxAge = body.max_age ?? 86_400;
        const maxUses = body.max_uses ?? 0;
        if (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < 0 || maxAge > MAX_AGE_SECONDS) errors.add('max_age', 'NUMBER_TYPE_MAX', `int value should be between 0 and ${MAX_AGE_SECONDS}.`);
        if (typeof maxUses !== 'number' || !Number.isInteger(maxUses) || maxUses < 0 || maxUses > MAX_USES) errors.add('max_uses', 'NUMBER_TYPE_MAX', `int value should be between 0 and ${MAX_USES}.`);
        errors.throwIfAny();
        const invite: InviteRecord = {
          code: randomBytes(6).toString('base64url').slice(0, 8),
          guild_id: channel.guild_id!,
          channel_id: channel.id,
          inviter_id: botId(request),
          uses: 0,
          max_uses: maxUses as number,
          max_age: maxAge as number,
          temporary: body.temporary === true,
          created_at: new Date().toISOString(),
        };
        core.state.invites.set(invite.code, invite);
        core.dispatch({ event: Events.InviteCreate, data: { ...invitePayload(core.state, invite), guild_id: invite.guild_id, channel_id: invite.channel_id }, guildId: invite.guild_id });
        return ok(invitePayload(core.state, invite));
      },
    },
    {
      method: 'GET',
      template: '/channels/:channel_id/invites',
      handler(request) {
        const channel = accessibleChannel(services, request, [P.ManageChannels]);
        return ok(invitesOf((invite) => invite.channel_id === channel.id));
      },
    },
    {
      method: 'GET',
      template: '/guilds/:guild_id/invites',
      handler(request) {
        const guildId = memberGuild(services, request);
        core.permissions.requireGuild(guildId, botId(request), P.ManageGuild);
        return ok(invitesOf((invite) => invite.guild_id === guildId));
      },
    },
    {
      method: 'DELETE',
      template: '/invites/:invite_code',
      handler(request) {
        const invite = core.state.invites.get(request.params.invite_code!);
        if (!invite) throw unknownEntity('invite');
        const permissions = core.permissions.inChannel(invite.channel_id, botId(request));
        if (!(permissions & (P.ManageChannels | P.ManageGuild))) throw missingPermissions();
        core.state.invites.delete(invite.code);
        core.dispatch({ event: Events.InviteDelete, data: { code: invite.code, guild_id: invite.guild_id, channel_id: invite.channel_id }, guildId: invite.guild_id });
        return ok(invitePayload(core.state, invite));
      },
    },
  ];
}
