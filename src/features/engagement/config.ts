// `/config engagement …`: the server's feedback review, recognition, level roles, milestone and admin alert
// settings, stored where the HTTP API stores them and checked by the same schema. `set` changes only what it is given.
import { ApplicationCommandOptionType, ChannelType } from 'discord-api-types/v10';
import { LEVELS, LEVEL_NAMES } from '../../../workflows/engagement/vis.js';
import { refusedSettings, type ConfigGroup } from '../../discord/config-command.js';
import { engagementSettings, engagementSettingsSchema, saveEngagementSettings, type EngagementSettings } from './settings.js';

const Option = ApplicationCommandOptionType;
const text: [ChannelType.GuildText] = [ChannelType.GuildText];

const OPTION_NAMES: Record<string, string> = {
  reviewEnabled: 'review',
  reviewChannelId: 'review-channel',
  reviewerRoleIds: 'reviewer-role',
  reviewTimeoutHours: 'review-hours',
  levelRoleIds: 'levels',
};

export const engagementConfig: ConfigGroup = {
  name: 'engagement',
  description: 'Volunteer engagement: feedback review, recognition, level roles, milestones, admin alerts',
  subcommands: [
    { type: Option.Subcommand, name: 'show', description: 'Show the engagement settings' },
    {
      type: Option.Subcommand,
      name: 'set',
      description: 'Change engagement settings (only the options you give)',
      options: [
        { type: Option.Boolean, name: 'review', description: 'Feedback waits for a reviewer before it is shared' },
        { type: Option.Channel, name: 'review-channel', description: 'Where review cards are posted', channel_types: text },
        { type: Option.Role, name: 'reviewer-role', description: 'Add a role whose members review feedback' },
        { type: Option.Role, name: 'remove-reviewer-role', description: 'Remove a reviewer role' },
        { type: Option.Integer, name: 'review-hours', description: 'Hours a review may wait before it expires (default 72)' },
        { type: Option.Boolean, name: 'reactions', description: '👍/👎 on Steward’s posts count as quick feedback' },
        { type: Option.Channel, name: 'recognition-channel', description: 'Where recognition cards are posted', channel_types: text },
        { type: Option.Role, name: 'recognizer-role', description: 'Add a role allowed to /recognize (none set: everyone)' },
        { type: Option.Role, name: 'remove-recognizer-role', description: 'Remove a recognizer role' },
        { type: Option.Channel, name: 'milestone-channel', description: 'Where milestone celebrations are posted', channel_types: text },
        { type: Option.Channel, name: 'alert-channel', description: "The admins' alert channel", channel_types: text },
        { type: Option.Boolean, name: 'demote', description: 'A lower VIS takes the higher level role back (default off)' },
      ],
    },
    {
      type: Option.Subcommand,
      name: 'levels',
      description: 'The Discord role each VIS level gives',
      options: LEVELS.map((level) => ({ type: Option.Role, name: level.replace('_', '-'), description: `The role for ${LEVEL_NAMES[level]}` })),
    },
  ],
  async run({ guildId, subcommand, options }, { database }) {
    const current = await engagementSettings(database.fork(), guildId);
    if (subcommand === 'show') return describeEngagement(current);
    const without = (list: string[], removed: string | undefined, added: string | undefined) => [...list.filter((id) => id !== removed && id !== added), ...(added ? [added] : [])];
    const candidate = engagementSettingsSchema.safeParse(
      subcommand === 'levels'
        ? { ...current, levelRoleIds: { ...current.levelRoleIds, ...Object.fromEntries(LEVELS.flatMap((level) => { const role = options.string(level.replace('_', '-')); return role ? [[level, role]] : []; })) } }
        : {
            ...current,
            reviewEnabled: options.boolean('review') ?? current.reviewEnabled,
            reviewChannelId: options.string('review-channel') ?? current.reviewChannelId,
            reviewerRoleIds: without(current.reviewerRoleIds, options.string('remove-reviewer-role'), options.string('reviewer-role')),
            reviewTimeoutHours: options.integer('review-hours') ?? current.reviewTimeoutHours,
            reactionFeedback: options.boolean('reactions') ?? current.reactionFeedback,
            recognitionChannelId: options.string('recognition-channel') ?? current.recognitionChannelId,
            recognizerRoleIds: without(current.recognizerRoleIds, options.string('remove-recognizer-role'), options.string('recognizer-role')),
            milestoneChannelId: options.string('milestone-channel') ?? current.milestoneChannelId,
            adminAlertChannelId: options.string('alert-channel') ?? current.adminAlertChannelId,
            demoteLevels: options.boolean('demote') ?? current.demoteLevels,
          },
    );
    if (!candidate.success) return refusedSettings(candidate.error.issues, OPTION_NAMES);
    const saved = await database.transaction((em) => saveEngagementSettings(em, guildId, candidate.data));
    return `Saved.\n${describeEngagement(saved)}`;
  },
};

const channel = (id: string | null, otherwise: string) => (id ? `<#${id}>` : otherwise);
const roles = (ids: string[], otherwise: string) => (ids.length ? ids.map((id) => `<@&${id}>`).join(', ') : otherwise);

function describeEngagement(settings: EngagementSettings): string {
  return [
    `Feedback review: ${settings.reviewEnabled ? `on, in ${channel(settings.reviewChannelId, '(no channel)')} by ${roles(settings.reviewerRoleIds, 'members who manage the server')}, expiring after ${settings.reviewTimeoutHours} h` : 'off (feedback is shared as it comes)'}`,
    `Quick feedback by 👍/👎 on Steward's posts: ${settings.reactionFeedback ? 'on' : 'off'}`,
    `Recognition cards: ${channel(settings.recognitionChannelId, 'where /recognize is used')}; who may recognise: ${roles(settings.recognizerRoleIds, 'everyone')}`,
    `Level roles: ${LEVELS.map((level) => `${LEVEL_NAMES[level]} ${settings.levelRoleIds[level] ? `<@&${settings.levelRoleIds[level]}>` : '—'}`).join(', ')}; demotion ${settings.demoteLevels ? 'on' : 'off'}`,
    `Milestone celebrations: ${channel(settings.milestoneChannelId, channel(settings.recognitionChannelId, 'nowhere yet (set milestone-channel)'))}`,
    `Admin alerts: ${channel(settings.adminAlertChannelId, 'off (set alert-channel)')}`,
  ].join('\n');
}
