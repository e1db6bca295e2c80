// The moderators' case commands: /case (show one; with a duration, change a timed punishment's length), /cases (a
// member's history with their current points) and /reason (amend a case's reason, keeping the old one).
import { ApplicationCommandOptionType, PermissionFlagsBits, type APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { describeDuration, parseDuration } from '../../../workflows/approvals/actions.js';
import { describePoints } from '../../../workflows/moderation/ladder.js';
import { punishmentSet, punishmentWorkflowId, type TimedKind } from '../../../workflows/moderation/messages.js';
import type { AdapterContext, Command } from '../../discord/handlers.js';
import { CommandOptions } from '../../discord/options.js';
import { deferEphemeral, ephemeralMessage, type InteractionResponder } from '../../discord/responder.js';
import { MAX_REASON_LENGTH } from './action-commands.js';
import { moderatorVerdict } from './moderators.js';
import { amendReason, casesOf, findCase, memberBalance, moderationSettings } from './store/cases.js';
import type { ModerationCase } from './store/entities.js';
import { logModeration } from '../approvals/store/approvals.js';

const MODERATE = PermissionFlagsBits.ModerateMembers;
const TIMED: readonly string[] = ['ban', 'timeout', 'mute'];

type Interaction = APIChatInputApplicationCommandInteraction;

/** Defers, then runs `body` for a moderator of this server; anyone else is refused in words. */
async function asModerator(interaction: Interaction, respond: InteractionResponder, context: AdapterContext, body: (guildId: string) => Promise<string>) {
  if (!interaction.guild_id || !interaction.member) return respond.acknowledge(ephemeralMessage('Moderation commands work in a server.'));
  await respond.acknowledge(deferEphemeral);
  const settings = await moderationSettings(context.database.fork(), interaction.guild_id);
  const verdict = moderatorVerdict(interaction.member, settings, MODERATE);
  const content = verdict.allowed ? await body(interaction.guild_id) : verdict.reason;
  await respond.editOriginal({ content: content.slice(0, 2000), allowed_mentions: { parse: [] } });
}

export const caseCommand: Command<Interaction> = {
  data: {
    name: 'case',
    description: 'Show a moderation case; with a duration, change how long its punishment lasts',
    default_member_permissions: String(MODERATE),
    contexts: [0],
    options: [
      { type: ApplicationCommandOptionType.Integer, name: 'number', description: 'The case number', required: true, min_value: 1 },
      { type: ApplicationCommandOptionType.String, name: 'duration', description: 'A new length, counted from when the case began, e.g. 3d', max_length: 10 },
    ],
  },
  async execute(interaction, respond, context) {
    const options = new CommandOptions(interaction);
    const number = options.integer('number')!;
    const durationText = options.string('duration')?.trim();
    const durationSeconds = durationText ? parseDuration(durationText) : undefined;
    if (durationText && (durationSeconds === undefined || durationSeconds < 60)) {
      return respond.acknowledge(ephemeralMessage(`I could not read "${durationText}" as a duration of at least a minute. Write it like 30m, 2h, 7d or 1w.`));
    }
    await asModerator(interaction, respond, context, async (guildId) => {
      const found = await findCase(context.database.fork(), guildId, number);
      if (!found) return `There is no case #${number} in this server.`;
      if (durationSeconds === undefined) return describeCase(found);
      if (!TIMED.includes(found.kind) || found.status !== 'applied' || !found.durationSeconds) {
        return `Case #${number} is not a timed punishment in force, so it has no duration to change.`;
      }
      const endsAt = found.createdAt.getTime() + durationSeconds * 1000;
      if (endsAt <= Date.now()) return `That length would already be over; to end case #${number} now, lift it instead.`;
      const target = { guildId, memberId: found.targetId, kind: found.kind as TimedKind };
      await context.temporal.workflow.getHandle(punishmentWorkflowId(target)).signal(punishmentSet, { caseId: found.id, caseNumber: found.number, endsAt });
      return `Case #${number} now lasts ${describeDuration(durationSeconds)} and ends <t:${Math.floor(endsAt / 1000)}:R>. The member is not told again.`;
    });
  },
};

export const casesCommand: Command<Interaction> = {
  data: {
    name: 'cases',
    description: "A member's moderation history and current warning points",
    default_member_permissions: String(MODERATE),
    contexts: [0],
    options: [{ type: ApplicationCommandOptionType.User, name: 'member', description: 'Whose cases', required: true }],
  },
  async execute(interaction, respond, context) {
    const memberId = new CommandOptions(interaction).userId('member')!;
    await asModerator(interaction, respond, context, async (guildId) => {
      const em = context.database.fork();
      const settings = await moderationSettings(em, guildId);
      const [cases, balance] = await Promise.all([
        casesOf(em, guildId, memberId),
        memberBalance(em, guildId, memberId, new Date(), { intervalSeconds: settings.decayIntervalSeconds }),
      ]);
      if (cases.length === 0) return `<@${memberId}> has no cases.`;
      return [`<@${memberId}> has ${describePoints(balance)}.`, ...cases.map(caseLine)].join('\n');
    });
  },
};

export const reasonCommand: Command<Interaction> = {
  data: {
    name: 'reason',
    description: "Amend a case's reason (the earlier one is kept)",
    default_member_permissions: String(MODERATE),
    contexts: [0],
    options: [
      { type: ApplicationCommandOptionType.Integer, name: 'number', description: 'The case number', required: true, min_value: 1 },
      { type: ApplicationCommandOptionType.String, name: 'reason', description: 'The new reason', required: true, max_length: MAX_REASON_LENGTH },
    ],
  },
  async execute(interaction, respond, context) {
    const options = new CommandOptions(interaction);
    const number = options.integer('number')!;
    const reason = options.string('reason')?.trim() ?? '';
    if (!reason || reason.length > MAX_REASON_LENGTH) {
      return respond.acknowledge(ephemeralMessage(`Write a reason of 1 to ${MAX_REASON_LENGTH} characters.`));
    }
    await asModerator(interaction, respond, context, async (guildId) => {
      const by = interaction.member!.user.id;
      const amended = await context.database.transaction(async (em) => {
        const found = await amendReason(em, guildId, number, reason, by);
        if (found) {
          await logModeration(em, { id: `${found.id}:reason:${found.reasonHistory.length}`, guildId, caseId: `#${number}`, kind: 'reason', actorId: by, targetId: found.targetId, detail: { reason } });
        }
        return found;
      });
      return amended ? `Case #${number}'s reason is now: ${reason}` : `There is no case #${number} in this server.`;
    });
  },
};

export function describeCase(found: ModerationCase): string {
  const lines = [
    caseLine(found),
    `Reason: ${found.reason}`,
    ...(found.moderatorId ? [`Moderator: <@${found.moderatorId}>`] : [`By: ${found.source === 'automod' ? 'automatic moderation' : found.source === 'ladder' ? 'the moderation ladder' : found.source}`]),
    ...(found.expiresAt ? [`Ends: <t:${Math.floor(found.expiresAt.getTime() / 1000)}:f>`] : []),
    ...found.reasonHistory.map((amendment) => `Earlier reason (replaced by <@${amendment.by}> <t:${Math.floor(Date.parse(amendment.at) / 1000)}:R>): ${amendment.reason}`),
    ...found.evidence.map((item) => `Evidence: ${[item.excerpt, item.url].filter(Boolean).join(' — ')}`),
  ];
  return lines.join('\n');
}

function caseLine(found: ModerationCase): string {
  const duration = found.durationSeconds ? ` (${describeDuration(found.durationSeconds)})` : '';
  const points = found.kind === 'warn' ? ` +${found.points}` : '';
  return `#${found.number} ${found.kind}${duration}${points} — <@${found.targetId}>, ${found.status}, <t:${Math.floor(found.createdAt.getTime() / 1000)}:R>`;
}
