// Builds READY and GUILD_CREATE the way Discord does for a session's bot user and intents.
import { GatewayIntentBits } from 'discord-api-types/v10';
import type { SandboxCore } from '../core.js';
import { channelPayload, guildPayload, memberPayload, userPayload, type Json } from '../payloads.js';
import { isThread } from '../permissions.js';
import type { ApplicationRecord } from '../state.js';

export function readyPayload(core: SandboxCore, app: ApplicationRecord, sessionId: string, resumeUrl: string): Json {
  const user = core.state.users.get(app.botUserId);
  return {
    v: 10,
    user: user ? { ...userPayload(user), verified: true, mfa_enabled: false, email: null } : null,
    guilds: core.state.guildsOfUser(app.botUserId).map((guild) => ({ id: guild.id, unavailable: true })),
    session_id: sessionId,
    session_type: 'normal',
    resume_gateway_url: resumeUrl,
    shard: [0, 1],
    application: { id: app.id, flags: app.flags },
    private_channels: [],
    presences: [],
    relationships: [],
    guild_join_requests: [],
    geo_ordered_rtc_regions: [],
    user_settings: {},
    auth: {},
  };
}

/** Members are only listed with GUILD_MEMBERS; without it Discord still includes the bot's own member. */
export function guildCreatePayload(core: SandboxCore, guildId: string, botUserId: string, intents: number): Json {
  const guild = core.state.guilds.get(guildId);
  if (!guild) throw new Error(`unknown guild ${guildId}`);
  const members = [...core.state.guildMembers(guildId).values()];
  const visible = intents & GatewayIntentBits.GuildMembers ? members : members.filter((m) => m.user_id === botUserId);
  const channels = core.state.guildChannels(guildId);
  return {
    ...guildPayload(core.state, guild),
    joined_at: core.state.guildMembers(guildId).get(botUserId)?.joined_at ?? new Date().toISOString(),
    large: members.length > 250,
    unavailable: false,
    member_count: members.length,
    voice_states: [],
    members: visible.map((member) => memberPayload(core.state, member)),
    channels: channels.filter((channel) => !isThread(channel)).map((channel) => channelPayload(core.state, channel)),
    threads: channels
      .filter((channel) => isThread(channel) && !channel.thread_metadata?.archived)
      .map((channel) => channelPayload(core.state, channel)),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
