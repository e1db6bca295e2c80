// What the moderation ladder hears from the gateway: actions moderators take by hand in Discord's own UI (from the
// audit log) become cases; a member who rejoins while muted or timed out gets it back; every message passes the
// automatic moderation pre-filter, and only candidates start a workflow.
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  AuditLogEvent,
  GatewayDispatchEvents,
  GatewayIntentBits,
  type GatewayGuildAuditLogEntryCreateDispatchData,
  type GatewayGuildMemberAddDispatchData,
  type GatewayMessageCreateDispatchData,
} from 'discord-api-types/v10';
import { automodInbox, automodInboxId, messageFlagged } from '../../../workflows/moderation/automod-workflow.js';
import { moderateCase } from '../../../workflows/moderation/case-workflow.js';
import { caseMembers, caseSummary, caseWorkflowId, memberRejoined, punishmentWorkflowId, type CaseKind, type CaseRequest, type TimedKind } from '../../../workflows/moderation/messages.js';
import { gatewayListener, type ListenerContext } from '../../discord/handlers.js';
import { Prefilter } from './automod/prefilter.js';
import { automodRulebook } from './automod/rulebook.js';
import { nameOf } from '../../discord/names.js';

/** The audit log actions that are cases, and the case kind each one is. */
const MANUAL_ACTIONS = new Map<number, CaseKind>([
  [AuditLogEvent.MemberBanAdd, 'ban'],
  [AuditLogEvent.MemberBanRemove, 'unban'],
  [AuditLogEvent.MemberKick, 'kick'],
]);

/** Bans, unbans, kicks and timeouts made by hand are logged as cases; Steward's own were logged when it made them. */
export const manualActions = gatewayListener<GatewayGuildAuditLogEntryCreateDispatchData>({
  event: GatewayDispatchEvents.GuildAuditLogEntryCreate,
  intents: GatewayIntentBits.GuildModeration,
  async handle(entry, { flows, botUserId }: ListenerContext) {
    if (!entry.user_id || entry.user_id === botUserId || !entry.target_id || !entry.guild_id) return;
    const kind = MANUAL_ACTIONS.get(entry.action_type) ?? timeoutSetBy(entry);
    if (!kind) return;
    const timeoutEnd = kind === 'timeout' ? Date.parse(String(entry.changes?.find((change) => change.key === 'communication_disabled_until')?.new_value)) : NaN;
    const key = `audit:${entry.id}`;
    const caseRequest: CaseRequest = {
      guildId: entry.guild_id,
      key,
      kind,
      targetId: entry.target_id,
      moderatorId: entry.user_id,
      source: 'manual',
      reason: entry.reason?.slice(0, 512) || 'No reason given (done in Discord).',
      evidence: [],
      alreadyApplied: true,
      // A timeout set by hand ends on its own in Discord; the case records how long it was given for.
      ...(Number.isFinite(timeoutEnd) ? { durationSeconds: Math.max(60, Math.round((timeoutEnd - Date.now()) / 1000)) } : {}),
    };
    await flows.start(moderateCase, {
      workflowId: caseWorkflowId(entry.guild_id, key),
      kind: 'moderation',
      guildId: entry.guild_id,
      args: [caseRequest],
      summary: caseSummary(caseRequest),
      memberIds: caseMembers(caseRequest),
    });
  },
});

/** A member update that set a timeout (not one that lifted it) is a timeout case. */
function timeoutSetBy(entry: GatewayGuildAuditLogEntryCreateDispatchData): CaseKind | undefined {
  if (entry.action_type !== AuditLogEvent.MemberUpdate) return undefined;
  const change = entry.changes?.find((candidate) => candidate.key === 'communication_disabled_until');
  return change?.new_value ? 'timeout' : undefined;
}

const REAPPLIED_ON_REJOIN: TimedKind[] = ['mute', 'timeout'];

/** A rejoin reaches the member's running punishment timers, if any; most joins have none, and nothing happens. */
export const rejoins = gatewayListener<GatewayGuildMemberAddDispatchData>({
  event: GatewayDispatchEvents.GuildMemberAdd,
  intents: GatewayIntentBits.GuildMembers,
  async handle(member, { temporal }: ListenerContext) {
    if (!member.user || member.user.bot) return;
    await Promise.all(
      REAPPLIED_ON_REJOIN.map(async (kind) => {
        const workflowId = punishmentWorkflowId({ guildId: member.guild_id, memberId: member.user!.id, kind });
        try {
          await temporal.workflow.getHandle(workflowId).signal(memberRejoined);
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
      }),
    );
  },
});

/**
 * Every server message goes through the pre-filter of its server (when automatic moderation is on there); a
 * candidate goes to the server's automod inbox, which judges candidates in batches.
 */
export function automodListener() {
  const prefilter = new Prefilter();
  return gatewayListener<GatewayMessageCreateDispatchData>({
    event: GatewayDispatchEvents.MessageCreate,
    intents: GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent,
    async handle(message, { database, flows }: ListenerContext) {
      const guildId = message.guild_id;
      if (!guildId || message.author.bot || message.webhook_id || !message.content) return;
      const rules = automodRulebook(database).current().get(guildId);
      if (!rules) return;
      const at = Date.now();
      const mentionCount = new Set(message.mentions.map((user) => user.id)).size + message.mention_roles.length;
      const candidate = prefilter.check({ guildId, authorId: message.author.id, content: message.content, mentionCount, at }, rules);
      if (!candidate) return;
      const flagged = {
        guildId,
        channelId: message.channel_id,
        messageId: message.id,
        authorId: message.author.id,
        authorName: nameOf(message.member, message.author),
        content: message.content,
        candidate,
      };
      await flows.signal(
        automodInbox,
        { workflowId: automodInboxId(guildId), kind: 'automod', guildId, args: [{ guildId }], summary: 'Automatic moderation: the messages the prefilter flags in this server, judged in batches' },
        messageFlagged,
        [flagged],
      );
    },
  });
}
