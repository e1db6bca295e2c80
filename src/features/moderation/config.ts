// `/config moderation …` and `/config automod …`: the ladder, roles and automatic moderation from Discord, stored
// where the HTTP API stores them. Each `set` changes only the options it is given.
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { describeAction, describeDuration, parseDuration, type ApprovalAction } from '../../../workflows/approvals/actions.js';
import { automodRulesSchema, isValidPattern } from './automod/rules.js';
import { refusedSettings, type ConfigGroup } from '../../discord/config-command.js';
import { automodRulebook } from './automod/rulebook.js';
import { moderationSettings, saveModerationSettings, type ModerationSettingsInput } from './store/cases.js';

const Option = ApplicationCommandOptionType;
const DAY = 86_400;

export const moderationConfig: ConfigGroup = {
  name: 'moderation',
  description: 'Moderator roles, the warning ladder and the mute role',
  subcommands: [
    { type: Option.Subcommand, name: 'show', description: 'Show the moderation settings' },
    {
      type: Option.Subcommand,
      name: 'set',
      description: 'Change moderation settings (only the options you give)',
      options: [
        { type: Option.Role, name: 'moderator-role', description: 'A role that may moderate (replaces the current ones)' },
        { type: Option.Role, name: 'direct-role', description: 'A role whose kicks and bans skip approval (replaces the current ones)' },
        { type: Option.Role, name: 'mute-role', description: 'The role /mute gives' },
        { type: Option.Integer, name: 'decay-days', description: 'Days for one warning point to be forgiven', min_value: 1, max_value: 365 },
      ],
    },
    {
      type: Option.Subcommand,
      name: 'rung',
      description: 'Add, change or remove a rung of the warning ladder',
      options: [
        { type: Option.Integer, name: 'points', description: 'The warning points at which it fires', required: true, min_value: 1, max_value: 100 },
        {
          type: Option.String,
          name: 'action',
          description: 'What it does',
          required: true,
          choices: ['timeout', 'kick', 'ban', 'remove'].map((name) => ({ name, value: name })),
        },
        { type: Option.String, name: 'duration', description: 'For a timeout, e.g. 1h or 3d', max_length: 10 },
      ],
    },
  ],
  async run({ guildId, subcommand, options }, { database }) {
    const current = await moderationSettings(database.fork(), guildId);
    if (subcommand === 'show') return describeModeration(current);
    let next: ModerationSettingsInput = current;
    if (subcommand === 'set') {
      const moderator = options.string('moderator-role');
      const direct = options.string('direct-role');
      const days = options.integer('decay-days');
      next = {
        ...current,
        ...(moderator ? { moderatorRoleIds: [moderator] } : {}),
        ...(direct ? { directActionRoleIds: [direct] } : {}),
        muteRoleId: options.string('mute-role') ?? current.muteRoleId ?? null,
        ...(days ? { decayIntervalSeconds: days * DAY } : {}),
      };
    } else {
      const points = options.integer('points')!;
      const kind = options.string('action')!;
      const rest = current.ladder.filter((rung) => rung.points !== points);
      let action: ApprovalAction | undefined;
      if (kind === 'timeout') {
        const text = options.string('duration')?.trim() ?? '';
        const seconds = parseDuration(text);
        if (!text || seconds === undefined || seconds < 60 || seconds > 28 * DAY) return 'A timeout rung needs a duration from 1 minute to 28 days, like 1h or 3d. Nothing was changed.';
        action = { type: 'timeout', durationSeconds: seconds };
      } else if (kind === 'kick' || kind === 'ban') {
        action = { type: kind };
      }
      if (!action && rest.length === current.ladder.length) return `There is no rung at ${points} points. Nothing was changed.`;
      next = { ...current, ladder: [...rest, ...(action ? [{ points, action }] : [])].sort((a, b) => a.points - b.points) };
    }
    const saved = await database.transaction((em) => saveModerationSettings(em, guildId, next));
    return `Saved.\n${describeModeration(saved)}`;
  },
};

export const automodConfig: ConfigGroup = {
  name: 'automod',
  description: 'Automatic moderation: what the pre-filter looks for, and the rules the model judges by',
  subcommands: [
    { type: Option.Subcommand, name: 'show', description: 'Show the automatic moderation settings' },
    {
      type: Option.Subcommand,
      name: 'set',
      description: 'Change automatic moderation (only the options you give)',
      options: [
        { type: Option.Boolean, name: 'enabled', description: 'Turn automatic moderation on or off' },
        { type: Option.String, name: 'words', description: 'Words or phrases to flag, comma-separated (replaces the list)', max_length: 2_000 },
        { type: Option.String, name: 'add-pattern', description: 'A regular expression to flag', max_length: 200 },
        { type: Option.Boolean, name: 'clear-patterns', description: 'Remove every pattern' },
        { type: Option.Boolean, name: 'invites', description: 'Flag invite links to other servers' },
        { type: Option.Integer, name: 'max-mentions', description: 'Mentions in one message that flag it', min_value: 2, max_value: 100 },
        { type: Option.Integer, name: 'repeats', description: 'The same text this many times in a row flags it', min_value: 2, max_value: 20 },
        { type: Option.String, name: 'rules', description: "The server's written rules, for the language model", max_length: 4_000 },
      ],
    },
  ],
  async run({ guildId, subcommand, options }, { database }) {
    const current = await moderationSettings(database.fork(), guildId);
    if (subcommand === 'show') return describeAutomod(current.automod);
    const pattern = options.string('add-pattern');
    if (pattern !== undefined && !isValidPattern(pattern)) return `"${pattern}" is not a valid regular expression. Nothing was changed.`;
    const words = options.string('words');
    const candidate = automodRulesSchema.safeParse({
      ...current.automod,
      ...(options.boolean('enabled') !== undefined ? { enabled: options.boolean('enabled') } : {}),
      ...(words !== undefined ? { words: words.split(',').map((word) => word.trim()).filter(Boolean) } : {}),
      patterns: [...(options.boolean('clear-patterns') ? [] : current.automod.patterns), ...(pattern ? [pattern] : [])],
      ...(options.boolean('invites') !== undefined ? { blockInvites: options.boolean('invites') } : {}),
      ...(options.integer('max-mentions') !== undefined ? { maxMentions: options.integer('max-mentions') } : {}),
      ...(options.integer('repeats') !== undefined ? { repeatLimit: options.integer('repeats') } : {}),
      ...(options.string('rules') !== undefined ? { serverRules: options.string('rules') } : {}),
    });
    if (!candidate.success) return refusedSettings(candidate.error.issues);
    const saved = await database.transaction((em) => saveModerationSettings(em, guildId, { ...current, automod: candidate.data }));
    await automodRulebook(database).reload();
    return `Saved.\n${describeAutomod(saved.automod)}`;
  },
};

function describeModeration(settings: ModerationSettingsInput): string {
  const roles = (ids: string[]) => (ids.length ? ids.map((id) => `<@&${id}>`).join(', ') : 'none');
  const ladder = settings.ladder.map((rung) => `${rung.points} → ${rung.action.type === 'timeout' ? describeAction(rung.action).toLowerCase() : rung.action.type}`);
  return [
    `Moderator roles: ${roles(settings.moderatorRoleIds)} (besides Discord's own permissions)`,
    `Kick and ban without approval: ${roles(settings.directActionRoleIds)}`,
    `Mute role: ${settings.muteRoleId ? `<@&${settings.muteRoleId}>` : 'not set'}`,
    `Ladder: ${ladder.join(', ') || 'empty'}; one point forgiven every ${describeDuration(settings.decayIntervalSeconds)}`,
  ].join('\n');
}

function describeAutomod(rules: ModerationSettingsInput['automod']): string {
  return [
    `Automatic moderation: ${rules.enabled ? 'on' : 'off'}`,
    `Words: ${rules.words.join(', ') || 'none'}`,
    `Patterns: ${rules.patterns.map((pattern) => `\`${pattern}\``).join(', ') || 'none'}`,
    `Invites: ${rules.blockInvites ? 'flagged' : 'allowed'}; mentions flagged from ${rules.maxMentions}; repeats from ${rules.repeatLimit}`,
    `Server rules for the model: ${rules.serverRules ? `${rules.serverRules.length} characters` : 'not written (a general rule is used)'}`,
  ].join('\n');
}
