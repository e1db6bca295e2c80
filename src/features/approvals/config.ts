// `/config approvals show|set`: the server's approval rules from Discord, with the same checks as the HTTP API. `set`
// changes only what it is given; the first `set` needs the channel and the approver role.
import { ApplicationCommandOptionType, ChannelType } from 'discord-api-types/v10';
import type { ConfigGroup } from '../../discord/config-command.js';
import { unreachableQuorum } from './approver-count.js';
import { DEFAULT_TIMEOUT_SECONDS, approvalSettings, saveApprovalSettings, type ApprovalSettingsInput } from './store/approvals.js';
import type { ApprovalSettings } from './store/entities.js';

const Option = ApplicationCommandOptionType;

export const approvalsConfig: ConfigGroup = {
  name: 'approvals',
  description: 'Who approves kicks and bans, where, and how long they wait',
  subcommands: [
    { type: Option.Subcommand, name: 'show', description: 'Show the approval settings' },
    {
      type: Option.Subcommand,
      name: 'set',
      description: 'Change approval settings (only the options you give)',
      options: [
        { type: Option.Channel, name: 'channel', description: 'Where approval cards are posted', channel_types: [ChannelType.GuildText] },
        { type: Option.Role, name: 'approver-role', description: 'The role that approves (replaces the current ones)' },
        { type: Option.Integer, name: 'quorum', description: 'Distinct approvers needed', min_value: 1, max_value: 10 },
        { type: Option.Integer, name: 'timeout-minutes', description: 'How long a request waits before it expires', min_value: 1, max_value: 10_080 },
        { type: Option.Boolean, name: 'self-approval', description: 'May a moderator approve their own request?' },
        { type: Option.Channel, name: 'alert-channel', description: 'Where requests waiting too long are reported', channel_types: [ChannelType.GuildText] },
        { type: Option.String, name: 'telegram-chat', description: 'A Telegram chat id that gets the requests too ("none" to stop)', max_length: 20 },
      ],
    },
  ],
  async run({ guildId, subcommand, options }, { database, discord }) {
    const current = await approvalSettings(database.fork(), guildId);
    if (subcommand === 'show') return current ? describe(current) : 'Approvals are not set up yet: /config approvals set channel:… approver-role:…';
    const channelId = options.string('channel') ?? current?.channelId;
    const role = options.string('approver-role');
    const approverRoleIds = role ? [role] : current?.approverRoleIds;
    if (!channelId || !approverRoleIds?.length) return 'Give the approvals channel and the approver role the first time: /config approvals set channel:… approver-role:…';
    const telegram = options.string('telegram-chat')?.trim();
    if (telegram && telegram !== 'none' && !/^-?\d{1,19}$/.test(telegram)) return `"${telegram}" is not a Telegram chat id (a number; a group's is negative).`;
    const timeoutMinutes = options.integer('timeout-minutes');
    const next: ApprovalSettingsInput = {
      channelId,
      approverRoleIds,
      quorum: options.integer('quorum') ?? current?.quorum ?? 1,
      allowSelfApproval: options.boolean('self-approval') ?? current?.allowSelfApproval ?? false,
      timeoutSeconds: timeoutMinutes ? { ban: timeoutMinutes * 60, kick: timeoutMinutes * 60, timeout: timeoutMinutes * 60 } : (current?.timeoutSeconds ?? {}),
      autoApproveTypes: current?.autoApproveTypes ?? [],
      alertChannelId: options.string('alert-channel') ?? current?.alertChannelId ?? null,
      alertAfterSeconds: current?.alertAfterSeconds ?? 3_600,
      telegramChatId: telegram === 'none' ? null : (telegram ?? current?.telegramChatId ?? null),
    };
    const unreachable = await unreachableQuorum(discord, guildId, next.approverRoleIds, next.quorum);
    if (unreachable) return `${unreachable} Nothing was changed.`;
    return `Saved.\n${describe(await database.transaction((em) => saveApprovalSettings(em, guildId, next)))}`;
  },
};

function describe(settings: ApprovalSettings): string {
  const minutes = (type: string) => Math.round((settings.timeoutSeconds[type] ?? DEFAULT_TIMEOUT_SECONDS) / 60);
  return [
    `Channel: <#${settings.channelId}>`,
    `Approvers: ${settings.approverRoleIds.map((id) => `<@&${id}>`).join(', ')} (quorum ${settings.quorum}${settings.allowSelfApproval ? ', self-approval allowed' : ''})`,
    `Waits: ban ${minutes('ban')} min, kick ${minutes('kick')} min, timeout ${minutes('timeout')} min`,
    `Alerts: ${settings.alertChannelId ? `<#${settings.alertChannelId}> after ${Math.round(settings.alertAfterSeconds / 60)} min` : 'off'}`,
    `Telegram: ${settings.telegramChatId ?? 'off'}`,
  ].join('\n');
}
