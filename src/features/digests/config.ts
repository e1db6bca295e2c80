// `/config digest …`: the server's weekly digest (channel, day, hour, time zone, summary, alert channel). Saving
// refuses an unknown time zone, an hour outside 0–23 and a channel Steward cannot post in, and brings the server's
// Schedule in line.
import { ApplicationCommandOptionType, ChannelType } from 'discord-api-types/v10';
import { refusedSettings, type ConfigGroup } from '../../discord/config-command.js';
import { applyDigestSettings, describeDigestSettings, digestStatus } from './control.js';
import type { DigestsEnv } from './env.js';
import { DAY_NAMES, digestSettings, digestSettingsSchema } from './settings.js';

const Option = ApplicationCommandOptionType;
const text: [ChannelType.GuildText, ChannelType.GuildAnnouncement] = [ChannelType.GuildText, ChannelType.GuildAnnouncement];
const OPTION_NAMES: Record<string, string> = { channelId: 'channel', dayOfWeek: 'day', timeZone: 'timezone', llmSummary: 'summary', alertChannelId: 'alert-channel' };

export function digestConfig(env: DigestsEnv): ConfigGroup {
  return {
    name: 'digest',
    description: 'The weekly digest: where, when, and with a summary paragraph or not',
    subcommands: [
      { type: Option.Subcommand, name: 'show', description: 'Show the digest settings and its next run' },
      {
        type: Option.Subcommand,
        name: 'set',
        description: 'Change digest settings (only the options you give)',
        options: [
          { type: Option.Boolean, name: 'enabled', description: 'Post the weekly digest' },
          { type: Option.Channel, name: 'channel', description: 'Where the digest is posted', channel_types: text },
          { type: Option.Integer, name: 'day', description: 'Which day (default Monday)', choices: DAY_NAMES.map((name, index) => ({ name, value: index })) },
          { type: Option.Integer, name: 'hour', description: 'Which hour, 0–23, in the time zone (default 9)' },
          { type: Option.String, name: 'timezone', description: 'An IANA time zone such as Europe/Berlin (default UTC)', max_length: 64 },
          { type: Option.Boolean, name: 'summary', description: 'Open with a summary paragraph written by a model' },
          { type: Option.Channel, name: 'alert-channel', description: 'Where a digest that cannot be posted is reported', channel_types: text },
        ],
      },
    ],
    async run({ guildId, subcommand, options }, { database, flows, discord, temporal }) {
      const control = { database, flows, discord, scheduling: { client: temporal, taskQueue: flows.taskQueue, intervalSeconds: env.intervalSeconds } };
      if (subcommand === 'show') {
        const status = await digestStatus(control, guildId);
        return describeDigestSettings(status.settings, status.schedule);
      }
      const current = await digestSettings(database.fork(), guildId);
      const candidate = digestSettingsSchema.safeParse({
        ...current,
        enabled: options.boolean('enabled') ?? current.enabled,
        channelId: options.string('channel') ?? current.channelId,
        dayOfWeek: options.integer('day') ?? current.dayOfWeek,
        hour: options.integer('hour') ?? current.hour,
        timeZone: options.string('timezone') ?? current.timeZone,
        llmSummary: options.boolean('summary') ?? current.llmSummary,
        alertChannelId: options.string('alert-channel') ?? current.alertChannelId,
      });
      if (!candidate.success) return refusedSettings(candidate.error.issues, OPTION_NAMES);
      const applied = await applyDigestSettings(control, guildId, candidate.data);
      if ('problem' in applied) return `${applied.problem} Nothing was changed.`;
      const status = await digestStatus(control, guildId);
      return `Saved.\n${describeDigestSettings(applied.saved, status.schedule)}`;
    },
  };
}
