// The approval card posted in the server's approvals channel: what, who, why, evidence, a live countdown, and the
// buttons while it is open; the outcome, who decided and when once it is closed. Pure.
import { ButtonStyle, DISCORD_LIMITS, button, buttonRow, truncate, type CardMessage } from '../shared/discord-kit.js';
import { describeAction, type ApprovalAction } from './actions.js';
import { approvalCustomIds } from './custom-id.js';
import { LISTED_TARGETS, targetsOf, type ApprovalRequestInput, type ApprovalResult } from './messages.js';

const COLOR = { open: 0xfee75c, approved: 0x57f287, closed: 0x99aab5, failed: 0xed4245 } as const;

export interface CardState {
  action: ApprovalAction;
  reason: string;
  approvedBy: string[];
  quorum: number;
  /** Epoch ms when the request times out, and what happens then. */
  deadline: number;
  onTimeout: 'expire' | 'approve';
  closed?: { title: string; detail: string; at: number; failed?: boolean };
}

export function renderApprovalCard(request: ApprovalRequestInput, state: CardState): CardMessage {
  const requester =
    request.requester.kind === 'member'
      ? `<@${request.requester.userId}>`
      : request.requester.kind === 'system'
        ? `the API (${request.requester.name})`
        : 'Steward (automatic moderation)';
  const evidence = request.evidence
    .map((item) => [item.url, item.excerpt ? `“${item.excerpt}”` : undefined].filter(Boolean).join(' '))
    .join('\n');
  const targets = targetsOf(request);
  const fields = [
    targets.length === 1
      ? { name: 'Member', value: `<@${request.targetId}>`, inline: true }
      : { name: `Members (${targets.length})`, value: truncate(listed(targets), DISCORD_LIMITS.fieldValue), inline: true },
    { name: 'Requested by', value: requester, inline: true },
    { name: 'Reason', value: truncate(state.reason, DISCORD_LIMITS.fieldValue) },
    ...(evidence ? [{ name: 'Evidence', value: truncate(evidence, DISCORD_LIMITS.fieldValue) }] : []),
    ...(state.approvedBy.length > 0
      ? [{ name: `Approvals (${state.approvedBy.length} of ${state.quorum})`, value: state.approvedBy.map((id) => `<@${id}>`).join(', ') }]
      : []),
  ];
  const at = (ms: number, style: 'R' | 'f') => `<t:${Math.floor(ms / 1000)}:${style}>`;
  if (state.closed) {
    return {
      content: '',
      embeds: [
        {
          title: truncate(`${describeAction(state.action)}: ${state.closed.title}`, DISCORD_LIMITS.title),
          description: truncate(`${state.closed.detail} (${at(state.closed.at, 'f')})`, DISCORD_LIMITS.description),
          color: state.closed.failed ? COLOR.failed : state.closed.title === 'approved' ? COLOR.approved : COLOR.closed,
          fields,
          footer: { text: `Case ${request.caseId}` },
        },
      ],
      components: [],
    };
  }
  const key = { guildId: request.guildId, caseId: request.caseId };
  return {
    content: '',
    embeds: [
      {
        title: truncate(`Approval needed: ${describeAction(state.action)}`, DISCORD_LIMITS.title),
        description: `Decide ${at(state.deadline, 'R')}, or the request ${state.onTimeout === 'approve' ? 'is approved' : 'expires'}.`,
        color: COLOR.open,
        fields,
        footer: { text: `Case ${request.caseId}` },
      },
    ],
    components: [
      buttonRow([
        button('Approve', approvalCustomIds.encode('approve', key), ButtonStyle.Success),
        button('Reject', approvalCustomIds.encode('reject', key), ButtonStyle.Danger),
        button('Modify', approvalCustomIds.encode('modify', key), ButtonStyle.Secondary),
      ]),
    ],
  };
}

/** The closing lines for each result. */
export function closingFor(result: ApprovalResult): { title: string; detail: string; failed?: boolean } {
  switch (result.status) {
    case 'executed':
      return { title: 'approved', detail: result.detail };
    case 'superseded':
      return { title: 'approved, not applied', detail: result.detail };
    case 'failed':
      return { title: 'approved, but Discord refused', detail: result.detail, failed: true };
    case 'rejected':
      return { title: 'rejected', detail: result.detail };
    case 'expired':
      return { title: 'expired', detail: result.detail };
  }
}

function listed(userIds: readonly string[]): string {
  const shown = userIds.slice(0, LISTED_TARGETS).map((id) => `<@${id}>`).join(' ');
  return userIds.length > LISTED_TARGETS ? `${shown} and ${userIds.length - LISTED_TARGETS} more` : shown;
}
