// A message the pre-filter flagged (`automod:<guild>:<message>`, so a redelivered event is one review): a language
// model judges it against the server's rules (each configured provider in turn), or, with none configured or
// none answering, the pre-filter's own rules decide and the case says so. Warnings and timeouts apply at once;
// a kick or ban becomes an approval request with the message as evidence.
import { ActivityFailure, ApplicationFailure, executeChild, log, proxyActivities } from '@temporalio/workflow';
import type { Judgement, ModerationActivities } from '../../activities/moderation/index.js';
import type { ProviderName } from '../../src/llm/types.js';
import { offlineVerdict, type AutomodVerdict, type Candidate } from './automod.js';
import { moderateCase } from './case-workflow.js';
import { caseWorkflowId, type CaseOutcome } from './messages.js';

const io = proxyActivities<ModerationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
/** Each provider gets a few tries for transient errors; malformed answers and refusals move on at once. */
const judge = proxyActivities<ModerationActivities>({
  startToCloseTimeout: '60 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '20 seconds', maximumAttempts: 3 },
});

export interface FlaggedMessage {
  guildId: string;
  channelId: string;
  messageId: string;
  authorId: string;
  authorName: string;
  content: string;
  candidate: Candidate;
}

export type AutomodOutcome = { action: 'none'; explanation: string } | { action: AutomodVerdict['action']; explanation: string; case: CaseOutcome };

export async function reviewFlaggedMessage(message: FlaggedMessage): Promise<AutomodOutcome> {
  const { serverRules } = await io.loadModerationRules({ guildId: message.guildId });
  const judges = await io.listJudges();
  const judged = await judgeWithFallback(judges, message, serverRules);
  const verdict = judged?.verdict ?? offlineVerdict(message.candidate, judges.length > 0);
  if (judged) {
    await io.recordJudgeUsage({ id: `automod:${message.guildId}:${message.messageId}:${judged.provider}`, guildId: message.guildId, flow: 'automod', ...judged.usage });
  }
  if (!verdict.violation || verdict.action === 'none') return { action: 'none', explanation: verdict.explanation };

  const key = `automod:${message.messageId}`;
  const judgedBy = judged ? `judged by ${judged.provider}` : 'pre-filter rules';
  const outcome = await executeChild(moderateCase, {
    workflowId: caseWorkflowId(message.guildId, key),
    args: [
      {
        guildId: message.guildId,
        key,
        kind: verdict.action,
        targetId: message.authorId,
        source: 'automod',
        reason: `Automatic moderation (${judgedBy}): ${verdict.explanation}`.slice(0, 512),
        evidence: [{ url: `https://discord.com/channels/${message.guildId}/${message.channelId}/${message.messageId}`, excerpt: message.content.slice(0, 300) }],
        ...(verdict.action === 'timeout' ? { durationSeconds: (verdict.durationMinutes ?? 10) * 60 } : {}),
      },
    ],
  });
  return { action: verdict.action, explanation: verdict.explanation, case: outcome };
}

/** The first configured provider that answers; undefined when none is configured or none could. */
async function judgeWithFallback(judges: ProviderName[], message: FlaggedMessage, serverRules: string): Promise<Judgement | undefined> {
  for (const provider of judges) {
    try {
      return await judge.judgeFlaggedMessage({ provider, content: message.content, authorName: message.authorName, candidate: message.candidate, serverRules });
    } catch (error) {
      const cause = error instanceof ActivityFailure ? error.cause : error;
      log.warn('Provider failed to judge; trying the next one', { provider, type: cause instanceof ApplicationFailure ? cause.type : undefined });
    }
  }
  return undefined;
}
