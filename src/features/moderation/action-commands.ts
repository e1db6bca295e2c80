// The moderators' action commands: /warn, /timeout, /mute, /kick, /ban, /unban. Each reads and checks its input
// at once (a duration Steward cannot read, a member who is not here, a reason longer than Discord's audit log
// keeps: a short answer saying what to fix), defers, checks who is asking, and starts the case's workflow, whose
// id is the interaction's, so a redelivered command is one case. The workflow edits the reply with the outcome.
import {
  ApplicationCommandOptionType,
  PermissionFlagsBits,
  type APIApplicationCommandOption,
  type APIChatInputApplicationCommandInteraction,
} from 'discord-api-types/v10';
import { describeDuration, parseDuration } from '../../../workflows/approvals/actions.js';
import { moderateCase } from '../../../workflows/moderation/case-workflow.js';
import { caseMembers, caseSummary, caseWorkflowId, type CaseKind, type CaseRequest } from '../../../workflows/moderation/messages.js';
import type { Command } from '../../discord/handlers.js';
import { CommandOptions } from '../../discord/options.js';
import { deferEphemeral, ephemeralMessage } from '../../discord/responder.js';
import { moderatorVerdict } from './moderators.js';
import { moderationSettings } from './store/cases.js';
import { actorName, nameOf } from '../../discord/names.js';

/** Discord keeps at most 512 characters of an audit log reason. */
export const MAX_REASON_LENGTH = 512;
/** A temporary ban or a mute may last up to a year; a timeout past 28 days is renewed by Steward. */
const MAX_PUNISHMENT_SECONDS = 365 * 86_400;

const member = (description: string): APIApplicationCommandOption => ({ type: ApplicationCommandOptionType.User, name: 'member', description, required: true });
const reason: APIApplicationCommandOption = { type: ApplicationCommandOptionType.String, name: 'reason', description: 'Why (the member is told)', required: true, max_length: MAX_REASON_LENGTH };
const duration = (required: boolean, description: string): APIApplicationCommandOption => ({
  type: ApplicationCommandOptionType.String,
  name: 'duration',
  description,
  required,
  max_length: 10,
});

interface ActionCommandSpec {
  kind: Exclude<CaseKind, 'note'>;
  description: string;
  permission: bigint;
  options: APIApplicationCommandOption[];
  /** The member must be in the server (everything but a ban or an unban). */
  memberRequired: boolean;
  durationRequired: boolean;
}

const SPECS: ActionCommandSpec[] = [
  {
    kind: 'warn',
    description: 'Warn a member: adds points that climb the moderation ladder',
    permission: PermissionFlagsBits.ModerateMembers,
    options: [member('Who to warn'), reason, { type: ApplicationCommandOptionType.Integer, name: 'points', description: 'Points to add (default 1)', min_value: 1, max_value: 10 }],
    memberRequired: true,
    durationRequired: false,
  },
  {
    kind: 'timeout',
    description: 'Time a member out (longer than 28 days is renewed for you)',
    permission: PermissionFlagsBits.ModerateMembers,
    options: [member('Who to time out'), duration(true, 'How long, e.g. 30m, 2h, 7d'), reason],
    memberRequired: true,
    durationRequired: true,
  },
  {
    kind: 'mute',
    description: "Give a member the server's mute role for a while",
    permission: PermissionFlagsBits.ModerateMembers,
    options: [member('Who to mute'), duration(true, 'How long, e.g. 30m, 2h, 7d'), reason],
    memberRequired: true,
    durationRequired: true,
  },
  {
    kind: 'kick',
    description: 'Kick a member (approvers decide unless your role acts directly)',
    permission: PermissionFlagsBits.KickMembers,
    options: [member('Who to kick'), reason],
    memberRequired: true,
    durationRequired: false,
  },
  {
    kind: 'ban',
    description: 'Ban a user, for good or for a while (approvers decide unless your role acts directly)',
    permission: PermissionFlagsBits.BanMembers,
    options: [
      member('Who to ban'),
      reason,
      duration(false, 'For how long (leave empty for a permanent ban), e.g. 7d'),
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'delete_messages',
        description: 'Delete their recent messages',
        choices: [
          { name: "Don't delete any", value: 0 },
          { name: 'Last hour', value: 3_600 },
          { name: 'Last 24 hours', value: 86_400 },
          { name: 'Last 7 days', value: 604_800 },
        ],
      },
    ],
    memberRequired: false,
    durationRequired: false,
  },
  {
    kind: 'unban',
    description: 'Lift a ban',
    permission: PermissionFlagsBits.BanMembers,
    options: [member('Who to unban'), reason],
    memberRequired: false,
    durationRequired: false,
  },
];

export const actionCommands: Command<APIChatInputApplicationCommandInteraction>[] = SPECS.map((spec) => ({
  data: { name: spec.kind, description: spec.description, options: spec.options, default_member_permissions: String(spec.permission), contexts: [0] },
  async execute(interaction, respond, { flows, database }) {
    const read = readRequest(spec, interaction);
    if (typeof read === 'string') return respond.acknowledge(ephemeralMessage(read));
    await respond.acknowledge(deferEphemeral);
    const settings = await moderationSettings(database.fork(), read.guildId);
    const verdict = moderatorVerdict(interaction.member!, settings, spec.permission);
    if (!verdict.allowed) return respond.editOriginal({ content: verdict.reason });
    if (read.moderatorId === read.targetId) return respond.editOriginal({ content: 'You cannot moderate yourself.' });
    const request: CaseRequest = {
      ...read,
      direct: verdict.direct,
      reply: { applicationId: interaction.application_id, token: interaction.token },
    };
    const targetUser = interaction.data.resolved?.users?.[read.targetId];
    await flows.start(moderateCase, {
      workflowId: caseWorkflowId(read.guildId, read.key),
      args: [request],
      kind: 'moderation',
      guildId: read.guildId,
      summary: caseSummary(request, { moderator: actorName(interaction), ...(targetUser ? { target: nameOf(undefined, targetUser) } : {}) }),
      memberIds: caseMembers(request),
    });
  },
}));

/** The case the command asks for, or what to fix, in words. */
function readRequest(spec: ActionCommandSpec, interaction: APIChatInputApplicationCommandInteraction): Omit<CaseRequest, 'direct' | 'reply'> | string {
  const guildId = interaction.guild_id;
  const moderator = interaction.member;
  if (!guildId || !moderator) return 'Moderation commands work in a server.';
  const options = new CommandOptions(interaction);
  const targetId = options.userId('member');
  if (!targetId || !options.user('member')) return 'Choose a member.';
  if (spec.memberRequired && !options.member('member')) return `<@${targetId}> is not a member of this server.`;
  const why = options.string('reason')?.trim() ?? '';
  if (!why) return 'Write a reason: the member is told it.';
  if (why.length > MAX_REASON_LENGTH) return `The reason is ${why.length} characters; Discord's audit log keeps at most ${MAX_REASON_LENGTH}. Shorten it.`;
  const durationText = options.string('duration')?.trim();
  let durationSeconds: number | undefined;
  if (durationText) {
    durationSeconds = parseDuration(durationText);
    if (durationSeconds === undefined) return `I could not read "${durationText}" as a duration. Write it like 30m, 2h, 7d or 1w.`;
    if (durationSeconds < 60) return 'A duration must be at least 1 minute.';
    if (durationSeconds > MAX_PUNISHMENT_SECONDS) return `A duration can be at most ${describeDuration(MAX_PUNISHMENT_SECONDS)}.`;
  } else if (spec.durationRequired) {
    return 'Give a duration, like 30m, 2h or 7d.';
  }
  const deleteMessageSeconds = options.integer('delete_messages');
  return {
    guildId,
    key: interaction.id,
    kind: spec.kind,
    targetId,
    moderatorId: moderator.user.id,
    source: 'command',
    reason: why,
    evidence: [],
    ...(options.integer('points') !== undefined ? { points: options.integer('points')! } : {}),
    ...(durationSeconds !== undefined ? { durationSeconds } : {}),
    ...(deleteMessageSeconds ? { deleteMessageSeconds } : {}),
  };
}
