// What XP hears from the gateway, in the adapter, with no workflow per event: every member's message goes through
// the ledger (XP at most once per cooldown); a member who rejoins gets their reward roles back.
import { GatewayDispatchEvents, GatewayIntentBits, type GatewayGuildMemberAddDispatchData, type GatewayMessageCreateDispatchData } from 'discord-api-types/v10';
import { resyncLevelRoles } from '../../../workflows/leveling/level-up-workflow.js';
import { levelRolesSummary, roleSyncWorkflowId } from '../../../workflows/leveling/messages.js';
import { gatewayListener } from '../../discord/handlers.js';
import { DEFAULT_LEVELING_SETTINGS, levelingRulebook } from './settings.js';
import { levelOf } from './store/levels.js';
import { xpLedgerFor } from './xp-writer.js';

export function xpListeners() {
  const messages = gatewayListener<GatewayMessageCreateDispatchData>({
    event: GatewayDispatchEvents.MessageCreate,
    intents: GatewayIntentBits.GuildMessages,
    async handle(message, { database }) {
      const guildId = message.guild_id;
      if (!guildId || message.author.bot || message.webhook_id) return;
      const settings = levelingRulebook(database).current().get(guildId) ?? DEFAULT_LEVELING_SETTINGS;
      xpLedgerFor(database).count({ guildId, channelId: message.channel_id, userId: message.author.id, roleIds: message.member?.roles ?? [], at: Date.now() }, settings);
    },
  });

  const rejoins = gatewayListener<GatewayGuildMemberAddDispatchData>({
    event: GatewayDispatchEvents.GuildMemberAdd,
    intents: GatewayIntentBits.GuildMembers,
    async handle(member, { database, flows }) {
      const { guild_id: guildId, user } = member;
      if (!user || user.bot) return;
      const settings = levelingRulebook(database).current().get(guildId) ?? DEFAULT_LEVELING_SETTINGS;
      if (settings.roleRewards.length === 0 || (await levelOf(database.fork(), guildId, user.id)) === 0) return;
      const sync = { guildId, userId: user.id, cause: `rejoin-${member.joined_at ? Date.parse(member.joined_at) : Date.now()}` };
      await flows.start(resyncLevelRoles, { workflowId: roleSyncWorkflowId(sync), args: [sync], kind: 'level-roles', guildId, summary: levelRolesSummary(sync), memberIds: [user.id], idReusePolicy: 'REJECT_DUPLICATE' });
    },
  });

  return [messages, rejoins];
}
