// `/event create|edit|cancel|remind|list|timezone`. Each defers first (reading a member's time zone is I/O), reads
// what was typed (start times in the organiser's zone or the server's, offsets, capacity), answers what to fix
// without creating anything, and then starts or updates the event's workflow. An event's id comes from the
// interaction that created it, so a redelivered /event create is one event.
import { ApplicationCommandOptionType, ChannelType, PermissionFlagsBits, type APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { parseDuration } from '../../../workflows/approvals/actions.js';
import { eventOccurrence } from '../../../workflows/events/event-workflow.js';
import {
  EVENT_REFUSED,
  cancelEvent,
  editEvent,
  eventSummary,
  eventWorkflowId,
  seriesOwner,
  seriesSummary,
  seriesWorkflowId,
  setPersonalReminders,
  stopSeries,
  type EventChange,
  type EventInput,
  type Member,
  type RecurrenceRule,
  type SeriesInput,
} from '../../../workflows/events/messages.js';
import { eventSeries } from '../../../workflows/events/series-workflow.js';
import { DEFAULT_OFFSETS_SECONDS, MAX_OFFSETS } from '../../../workflows/events/reminders.js';
import type { AdapterContext, Command } from '../../discord/handlers.js';
import { CommandOptions } from '../../discord/options.js';
import { deferEphemeral, ephemeralMessage } from '../../discord/responder.js';
import { updateRefusal } from '../../temporal/update-refusal.js';
import { eventDefaults, memberTimeZone, saveEventDefaults, saveMemberTimeZone, upcomingEvents } from './store/events.js';
import { isTimeZone, readOffsets, readStartTime } from './when.js';

const Option = ApplicationCommandOptionType;
const idOption = { type: Option.String, name: 'id', description: 'The event (its id is on its card)', required: true, max_length: 40 } as const;
const DEFAULT_CLAIM_WINDOW_SECONDS = 2 * 3_600;

type Interaction = APIChatInputApplicationCommandInteraction;

export const eventCommand: Command<Interaction> = {
  data: {
    name: 'event',
    description: 'Community events with RSVP, a waitlist and reminders',
    contexts: [0],
    options: [
      {
        type: Option.Subcommand,
        name: 'create',
        description: 'Announce an event',
        options: [
          { type: Option.String, name: 'title', description: 'What it is', required: true, max_length: 100 },
          { type: Option.String, name: 'start', description: 'When, e.g. "friday 6pm" or "2026-12-05 18:00"', required: true, max_length: 100 },
          { type: Option.String, name: 'duration', description: 'How long (default 1h)', max_length: 10 },
          { type: Option.Integer, name: 'capacity', description: 'Seats (default: no limit)', min_value: 1, max_value: 10_000 },
          { type: Option.Channel, name: 'channel', description: 'Where to announce it (default: here)', channel_types: [ChannelType.GuildText] },
          { type: Option.String, name: 'reminders', description: 'Before the start, up to 5 (default "24h, 1h")', max_length: 60 },
          { type: Option.String, name: 'description', description: 'Details', max_length: 1_000 },
          { type: Option.Role, name: 'role', description: 'Only members with this role may sign up' },
          { type: Option.String, name: 'cutoff', description: 'When answers close, e.g. "friday noon"', max_length: 100 },
          { type: Option.Boolean, name: 'remind-maybe', description: 'Remind those who answered Maybe too' },
          {
            type: Option.String,
            name: 'repeat',
            description: 'Make it a series; each occurrence has its own answers',
            choices: [
              { name: 'every week', value: 'weekly' },
              { name: 'every 2 weeks', value: 'fortnightly' },
              { name: 'every month, same weekday (e.g. 2nd Tuesday)', value: 'monthly' },
              { name: 'every N days (give every-days)', value: 'days' },
            ],
          },
          { type: Option.Integer, name: 'every-days', description: 'For "every N days"', min_value: 1, max_value: 90 },
        ],
      },
      {
        type: Option.Subcommand,
        name: 'edit',
        description: 'Change an event (reminders move with it)',
        options: [
          idOption,
          { type: Option.String, name: 'title', description: 'A new title', max_length: 100 },
          { type: Option.String, name: 'start', description: 'A new start', max_length: 100 },
          { type: Option.String, name: 'duration', description: 'A new duration', max_length: 10 },
          { type: Option.Integer, name: 'capacity', description: 'A new number of seats', min_value: 1, max_value: 10_000 },
          { type: Option.String, name: 'description', description: 'New details', max_length: 1_000 },
          { type: Option.String, name: 'reminders', description: 'New reminder offsets, e.g. "24h, 1h"', max_length: 60 },
        ],
      },
      {
        type: Option.Subcommand,
        name: 'cancel',
        description: 'Cancel an event and tell those coming (or stop a series)',
        options: [
          idOption,
          { type: Option.String, name: 'reason', description: 'Why', required: true, max_length: 300 },
          { type: Option.Boolean, name: 'series', description: 'The id is a series: announce no more occurrences' },
        ],
      },
      { type: Option.Subcommand, name: 'remind', description: 'Your own reminders for an event', options: [idOption, { type: Option.String, name: 'before', description: 'e.g. "2h, 15m"', required: true, max_length: 60 }] },
      { type: Option.Subcommand, name: 'list', description: 'Upcoming events' },
      {
        type: Option.Subcommand,
        name: 'timezone',
        description: 'The time zone your start times are read in (or the server\'s, for managers)',
        options: [
          { type: Option.String, name: 'zone', description: 'An IANA name, e.g. Europe/Berlin', required: true, max_length: 64 },
          { type: Option.Boolean, name: 'server', description: "Set the server's default instead of yours" },
        ],
      },
    ],
  },
  async execute(interaction, respond, context) {
    if (!interaction.guild_id || !interaction.member) return respond.acknowledge(ephemeralMessage('Events live in a server.'));
    await respond.acknowledge(deferEphemeral);
    const options = new CommandOptions(interaction);
    const reply = (content: string) => respond.editOriginal({ content, allowed_mentions: { parse: [] } });
    const member: Member = { userId: interaction.member.user.id, roleIds: interaction.member.roles, permissions: interaction.member.permissions };
    const subcommand = options.subcommand;
    const run = { create, edit, cancel, remind, list, timezone }[subcommand as 'create'];
    if (!run) return reply('This command is not available any more.');
    await reply(await run(interaction as Interaction & { guild_id: string }, options, member, context));
  },
};

type Run = (interaction: Interaction & { guild_id: string }, options: CommandOptions, member: Member, context: AdapterContext) => Promise<string>;

/** The zone the member's times are read in: their own, or the server's default. */
async function zoneOf(context: AdapterContext, guildId: string, userId: string): Promise<{ zone: string; managerRoleIds: string[] }> {
  const em = context.database.fork();
  const [own, defaults] = await Promise.all([memberTimeZone(em, userId), eventDefaults(em, guildId)]);
  return { zone: own ?? defaults.timeZone, managerRoleIds: defaults.managerRoleIds };
}

const create: Run = async (interaction, options, member, context) => {
  const { zone, managerRoleIds } = await zoneOf(context, interaction.guild_id, member.userId);
  const now = Date.now();
  const start = readStartTime(options.string('start')!, zone, now);
  if (!start.ok) return `${start.problem} Nothing was created.`;
  if (start.at <= now) return 'That start is in the past. Nothing was created.';
  const durationMinutes = readMinutes(options.string('duration') ?? '1h');
  if (durationMinutes === undefined) return `I could not read "${options.string('duration')}" as a duration; write it like 90m or 2h. Nothing was created.`;
  const offsets = readOffsets(options.string('reminders') ?? '', parseDuration);
  if (typeof offsets === 'string') return `${offsets} Nothing was created.`;
  // The default reminders that would already have passed are left out; offsets the organiser typed must all fit.
  const reminderOffsetsSeconds = options.string('reminders') ? offsets : DEFAULT_OFFSETS_SECONDS.filter((offset) => start.at - offset * 1000 > now);
  const problem = offsetProblem(reminderOffsetsSeconds, start.at, now);
  if (problem) return `${problem} Nothing was created.`;
  let rsvpCutoff: number | null = null;
  if (options.string('cutoff')) {
    const cutoff = readStartTime(options.string('cutoff')!, zone, now);
    if (!cutoff.ok) return `The cut-off: ${cutoff.problem} Nothing was created.`;
    if (cutoff.at > start.at || cutoff.at <= now) return 'Answers must close between now and the start. Nothing was created.';
    rsvpCutoff = cutoff.at;
  }
  const eventId = BigInt(interaction.id).toString(36);
  const repeat = options.string('repeat');
  const rule: RecurrenceRule | undefined =
    repeat === 'weekly' ? { kind: 'weekly', everyWeeks: 1 }
    : repeat === 'fortnightly' ? { kind: 'weekly', everyWeeks: 2 }
    : repeat === 'monthly' ? { kind: 'monthly-weekday' }
    : repeat === 'days' ? { kind: 'daily', everyDays: options.integer('every-days') ?? 0 }
    : undefined;
  if (rule?.kind === 'daily' && rule.everyDays < 1) return 'For "every N days", give every-days too. Nothing was created.';
  const input: EventInput = {
    guildId: interaction.guild_id,
    eventId,
    organiserId: member.userId,
    managerRoleIds,
    details: {
      title: options.string('title')!.trim(),
      description: options.string('description')?.trim() ?? '',
      startsAt: start.at,
      durationMinutes,
      capacity: options.integer('capacity') ?? null,
      channelId: options.string('channel') ?? interaction.channel.id,
      reminderOffsetsSeconds,
      remindMaybe: options.boolean('remind-maybe') ?? false,
      signupRoleId: options.string('role') ?? null,
      rsvpCutoff,
      claimWindowSeconds: DEFAULT_CLAIM_WINDOW_SECONDS,
      timeZone: zone,
    },
  };
  if (rule) {
    const series: SeriesInput = { guildId: interaction.guild_id, seriesId: eventId, organiserId: member.userId, managerRoleIds, template: input.details, rule, index: 0 };
    await context.flows.start(eventSeries, {
      workflowId: seriesWorkflowId(interaction.guild_id, eventId),
      args: [series],
      kind: 'event-series',
      guildId: interaction.guild_id,
      summary: seriesSummary(series),
      memberIds: [member.userId],
    });
    return `Series **${input.details.title}** (id \`${eventId}\`) starts <t:${Math.floor(start.at / 1000)}:F>; each occurrence is announced in <#${input.details.channelId}> two weeks ahead.`;
  }
  await context.flows.start(eventOccurrence, {
    workflowId: eventWorkflowId(interaction.guild_id, eventId),
    args: [input],
    kind: 'event',
    guildId: interaction.guild_id,
    summary: eventSummary(input),
    memberIds: [member.userId],
  });
  return `Event **${input.details.title}** (id \`${eventId}\`) is announced in <#${input.details.channelId}> for <t:${Math.floor(start.at / 1000)}:F>.`;
};

const edit: Run = async (interaction, options, member, context) => {
  const { zone } = await zoneOf(context, interaction.guild_id, member.userId);
  const change: EventChange = {};
  const now = Date.now();
  if (options.string('title')) change.title = options.string('title')!.trim();
  if (options.string('description')) change.description = options.string('description')!.trim();
  if (options.integer('capacity') !== undefined) change.capacity = options.integer('capacity')!;
  if (options.string('start')) {
    const start = readStartTime(options.string('start')!, zone, now);
    if (!start.ok) return `${start.problem} Nothing was changed.`;
    change.startsAt = start.at;
  }
  if (options.string('duration')) {
    const minutes = readMinutes(options.string('duration')!);
    if (minutes === undefined) return `I could not read "${options.string('duration')}" as a duration. Nothing was changed.`;
    change.durationMinutes = minutes;
  }
  if (options.string('reminders')) {
    const offsets = readOffsets(options.string('reminders')!, parseDuration);
    if (typeof offsets === 'string') return `${offsets} Nothing was changed.`;
    change.reminderOffsetsSeconds = offsets;
  }
  if (Object.keys(change).length === 0) return 'Give at least one thing to change.';
  return decide(context, interaction.guild_id, options.string('id')!, async (handle) => {
    await handle.executeUpdate(editEvent, { args: [{ member, change }], updateId: interaction.id });
    return 'Changed. The card and the reminders follow.';
  });
};

const cancel: Run = async (interaction, options, member, context) => {
  if (options.boolean('series')) return stop(interaction.guild_id, options.string('id')!, options.string('reason')!.trim(), member, context);
  return decide(context, interaction.guild_id, options.string('id')!, async (handle) => {
    await handle.executeUpdate(cancelEvent, { args: [{ member, reason: options.string('reason')!.trim() }], updateId: interaction.id });
    return 'Cancelled. Everyone who answered is told.';
  });
};

/** Stops a series: the organiser or a manager only; occurrences already announced stay (cancel them one by one). */
async function stop(guildId: string, seriesId: string, reason: string, member: Member, context: AdapterContext): Promise<string> {
  const handle = context.temporal.workflow.getHandle(seriesWorkflowId(guildId, seriesId));
  const owner = await handle.query(seriesOwner).catch(() => undefined);
  if (!owner) return `There is no running series "${seriesId}".`;
  const manager = member.roleIds.some((role) => owner.managerRoleIds.includes(role)) || (BigInt(member.permissions || '0') & PermissionFlagsBits.Administrator) !== 0n;
  if (!manager && owner.organiserId !== member.userId) return 'Only the organiser or an event manager can stop this series.';
  await handle.signal(stopSeries, { reason });
  return 'The series is stopped: no further occurrences will be announced.';
}

const remind: Run = async (interaction, options, member, context) => {
  const offsets = readOffsets(options.string('before')!, parseDuration);
  if (typeof offsets === 'string') return offsets;
  if (offsets.length > MAX_OFFSETS) return `At most ${MAX_OFFSETS} reminders.`;
  return decide(context, interaction.guild_id, options.string('id')!, async (handle) => {
    await handle.executeUpdate(setPersonalReminders, { args: [{ member, offsetsSeconds: offsets }], updateId: interaction.id });
    return `I will remind you ${offsets.length} time${offsets.length === 1 ? '' : 's'} before it starts.`;
  });
};

const list: Run = async (interaction, _options, _member, context) => {
  const events = await upcomingEvents(context.database.fork(), interaction.guild_id, new Date());
  if (events.length === 0) return 'No upcoming events.';
  return events
    .map((event) => {
      const seats = event.capacity === null ? `${event.going} going` : `${event.going}/${event.capacity} going`;
      const card = event.cardMessageId ? ` — https://discord.com/channels/${event.guildId}/${event.channelId}/${event.cardMessageId}` : '';
      return `• **${event.title}** <t:${Math.floor(event.startsAt.getTime() / 1000)}:F>: ${seats}, ${event.maybe} maybe, ${event.waitlisted} waiting (\`${event.eventId}\`)${card}`;
    })
    .join('\n')
    .slice(0, 2_000);
};

const timezone: Run = async (interaction, options, member, context) => {
  const zone = options.string('zone')!.trim();
  if (!isTimeZone(zone)) return `"${zone}" is not a time zone I know; use an IANA name such as Europe/Berlin or America/New_York.`;
  if (options.boolean('server')) {
    const granted = BigInt(member.permissions || '0');
    if ((granted & (PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator)) === 0n) return "Only members who can manage the server can set its time zone.";
    await context.database.transaction(async (em) => saveEventDefaults(em, interaction.guild_id, { ...(await eventDefaults(em, interaction.guild_id)), timeZone: zone }));
    return `Start times in this server are read in ${zone} unless a member set their own.`;
  }
  await context.database.transaction((em) => saveMemberTimeZone(em, member.userId, zone));
  return `Your start times are read in ${zone}.`;
};

/** Runs an Update on the event; its refusals come back in the event's own words. */
async function decide(context: AdapterContext, guildId: string, eventId: string, act: (handle: ReturnType<AdapterContext['temporal']['workflow']['getHandle']>) => Promise<string>): Promise<string> {
  if (!/^[a-z0-9-]{1,40}$/.test(eventId)) return `There is no event "${eventId}".`;
  try {
    return await act(context.temporal.workflow.getHandle(eventWorkflowId(guildId, eventId)));
  } catch (error) {
    const refusal = updateRefusal(error, { refusalType: EVENT_REFUSED, finished: 'That event is over.', simultaneous: 'Another change was made at the same moment; try again.' });
    if (refusal !== undefined) return refusal;
    if ((error as { name?: string }).name === 'WorkflowNotFoundError') return `There is no event "${eventId}".`;
    throw error;
  }
}

function readMinutes(text: string): number | undefined {
  const seconds = parseDuration(text);
  if (seconds === undefined || seconds < 60 || seconds > 14 * 86_400) return undefined;
  return Math.round(seconds / 60);
}

function offsetProblem(offsets: number[], startsAt: number, now: number): string | undefined {
  if (offsets.length > MAX_OFFSETS) return `At most ${MAX_OFFSETS} reminders.`;
  if (offsets.some((offset) => startsAt - offset * 1000 <= now)) return 'A reminder would fall before now (the event starts sooner than that): choose shorter offsets.';
  return undefined;
}
