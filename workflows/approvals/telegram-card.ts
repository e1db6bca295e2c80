// The approval request as a Telegram message: the same facts as the Discord card in plain text (Telegram shows no
// Discord mentions or timestamps, so members are named by id and times in UTC), with Approve and Reject buttons
// while it is open. The buttons carry only the decision: the message they sit on says which request it is. Pure.
import { describeAction } from './actions.js';
import type { CardState } from './card.js';
import type { ApprovalRequestInput } from './messages.js';

/** The inline buttons' callback data (Telegram allows 64 bytes). */
export const TELEGRAM_DECISIONS = { approve: 'approve', reject: 'reject' } as const;

export interface TelegramCard {
  text: string;
  buttons: { text: string; data: string }[];
}

export function renderTelegramCard(request: ApprovalRequestInput, state: CardState, serverName: string): TelegramCard {
  const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const lines = [
    state.closed ? `${describeAction(state.action)}: ${state.closed.title}` : `Approval needed: ${describeAction(state.action)}`,
    `Server: ${serverName}`,
    request.alsoTargetIds?.length ? `Members: ${request.targetId} and ${request.alsoTargetIds.length} more` : `Member: ${request.targetId}`,
    `Reason: ${state.reason}`,
    ...request.evidence.map((item) => `Evidence: ${[item.url, item.excerpt ? `"${item.excerpt}"` : undefined].filter(Boolean).join(' ')}`),
    ...(state.approvedBy.length > 0 ? [`Approvals: ${state.approvedBy.length} of ${state.quorum}`] : []),
    state.closed ? `${state.closed.detail.replace(/<@!?(\d+)>/g, '$1')} (${utc(state.closed.at)})` : `Decide by ${utc(state.deadline)}.`,
    `Case ${request.caseId}`,
  ];
  return {
    text: lines.join('\n').slice(0, 4096),
    buttons: state.closed
      ? []
      : [
          { text: 'Approve', data: TELEGRAM_DECISIONS.approve },
          { text: 'Reject', data: TELEGRAM_DECISIONS.reject },
        ],
  };
}
