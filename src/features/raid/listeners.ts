// What raid protection hears from the gateway, in the adapter, with no workflow per event: every join goes through
// the server's join-rate detector (and, where the gate is on, starts the member's screening) and every message
// through its spam detector. A raid signals the server's one
// lockdown workflow (starting it if none runs); members who join while it lasts are sent to it; a member's spam
// strike becomes a timeout case in the moderation log, longer with each strike.
import { WorkflowNotFoundError } from '@temporalio/client';
import { GatewayDispatchEvents, GatewayIntentBits, type GatewayGuildMemberAddDispatchData, type GatewayMessageCreateDispatchData } from 'discord-api-types/v10';
import { moderateCase } from '../../../workflows/moderation/case-workflow.js';
import { caseMembers, caseSummary, caseWorkflowId, type CaseRequest } from '../../../workflows/moderation/messages.js';
import { lockdown } from '../../../workflows/raid/lockdown-workflow.js';
import { joinedDuringRaid, lockdownWorkflowId, raidDetected, type RaidSignal } from '../../../workflows/raid/messages.js';
import { screenMember, screeningWorkflowId } from '../../../workflows/raid/screening.js';
import { gatewayListener, type ListenerContext } from '../../discord/handlers.js';
import { createdAt } from '../../discord/snowflake.js';
import { JoinRateDetector } from './detection/join-rate.js';
import { SpamDetector } from './detection/spam.js';
import { raidRulebook } from './rulebook.js';
import type { ScreeningSettings } from './screening-settings.js';

/**
 * Servers this adapter saw locked down, with the call that started (or reached) the lockdown, so a join right after
 * the detection waits for the workflow to exist before it is sent there. Forgotten when the lockdown has ended.
 */
class LockdownsSeen {
  private readonly guilds = new Map<string, Promise<unknown>>();

  mark(guildId: string, reported: Promise<unknown>): void {
    this.guilds.set(guildId, reported.catch(() => {}));
  }

  reported(guildId: string): Promise<unknown> | undefined {
    return this.guilds.get(guildId);
  }

  forget(guildId: string): void {
    this.guilds.delete(guildId);
  }
}

async function reportRaid(guildId: string, signal: RaidSignal, { flows }: ListenerContext, seen: LockdownsSeen): Promise<void> {
  const reported = flows.signal(lockdown, { workflowId: lockdownWorkflowId(guildId), kind: 'raid', guildId, args: [{ guildId }], summary: `Raid lockdown: ${signal.summary}`.slice(0, 200) }, raidDetected, [signal]);
  seen.mark(guildId, reported);
  await reported;
}

/** A new member meets the screening gate: their own workflow waits for Verify, or kicks them when time is up. */
async function screen(guildId: string, memberId: string, screening: ScreeningSettings, { flows }: ListenerContext): Promise<void> {
  await flows.start(screenMember, {
    workflowId: screeningWorkflowId(guildId, memberId),
    kind: 'screening',
    guildId,
    summary: `Screening of new member ${memberId}: waits for Verify, or removes them after ${screening.kickAfterMinutes} minutes`,
    memberIds: [memberId],
    args: [
      {
        guildId,
        memberId,
        accountCreatedAt: createdAt(memberId),
        rules: { memberRoleId: screening.memberRoleId!, minAccountAgeDays: screening.minAccountAgeDays, question: screening.question, answer: screening.answer, kickAfterMinutes: screening.kickAfterMinutes },
      },
    ],
  });
}

export function raidListeners() {
  const joins = new JoinRateDetector();
  const spam = new SpamDetector();
  const seen = new LockdownsSeen();

  const joinListener = gatewayListener<GatewayGuildMemberAddDispatchData>({
    event: GatewayDispatchEvents.GuildMemberAdd,
    intents: GatewayIntentBits.GuildMembers,
    async handle(member, context) {
      const { guild_id: guildId, user } = member;
      if (!user || user.bot) return;
      const settings = raidRulebook(context.database).current().get(guildId);
      if (!settings) return;
      const at = Date.now();
      if (settings.screening.enabled && settings.screening.memberRoleId) await screen(guildId, user.id, settings.screening, context);
      if (!settings.enabled) return;
      const raid = joins.record({ guildId, userId: user.id, at, accountCreatedAt: createdAt(user.id) }, settings);
      if (raid) return reportRaid(guildId, { kind: 'joins', summary: raid.summary, at, joinerIds: raid.joinerIds }, context, seen);
      const reported = seen.reported(guildId);
      if (!reported) return;
      await reported;
      try {
        await context.temporal.workflow.getHandle(lockdownWorkflowId(guildId)).signal(joinedDuringRaid, { userIds: [user.id] });
      } catch (error) {
        // The lockdown has ended: joins are ordinary again.
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        seen.forget(guildId);
      }
    },
  });

  const messageListener = gatewayListener<GatewayMessageCreateDispatchData>({
    event: GatewayDispatchEvents.MessageCreate,
    intents: GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent,
    async handle(message, context) {
      const guildId = message.guild_id;
      if (!guildId || message.author.bot || message.webhook_id) return;
      const settings = raidRulebook(context.database).current().get(guildId);
      if (!settings?.enabled) return;
      const at = Date.now();
      const mentionCount = new Set(message.mentions.map((user) => user.id)).size + message.mention_roles.length + (message.mention_everyone ? 1 : 0);
      const verdict = spam.check(
        { guildId, channelId: message.channel_id, authorId: message.author.id, content: message.content, mentionCount, attachmentCount: message.attachments.length, at },
        settings.spam,
      );
      const work: Promise<unknown>[] = [];
      if (verdict.raid) work.push(reportRaid(guildId, { kind: 'spam', summary: verdict.raid.summary, at }, context, seen));
      const strike = verdict.strike;
      if (strike) {
        // Keyed by the message that struck: a redelivered message is one case.
        const key = `spam:${message.id}`;
        const spamCase: CaseRequest = {
          guildId,
          key,
          kind: 'timeout',
          targetId: strike.memberId,
          source: 'automod',
          reason: `Spam: ${strike.why} (strike ${strike.strike})`,
          evidence: [{ url: `https://discord.com/channels/${guildId}/${message.channel_id}/${message.id}`, excerpt: message.content.slice(0, 200) }],
          durationSeconds: strike.timeoutMinutes * 60,
        };
        work.push(
          context.flows.start(moderateCase, {
            workflowId: caseWorkflowId(guildId, key),
            kind: 'moderation',
            guildId,
            args: [spamCase],
            summary: caseSummary(spamCase),
            memberIds: caseMembers(spamCase),
          }),
        );
      }
      await Promise.all(work);
    },
  });

  return [joinListener, messageListener];
}
