// Who may decide an approval request, and when it is decided: approvers are members with a configured role or
// Administrator; a requester may not approve their own request unless the server allows it; approval needs
// `quorum` distinct approvers, and one rejection decides. Pure, so the workflow's Update validator and handler
// share one rulebook, and it is tested on its own.
import { isMilderOrEqual, type ApprovalAction } from './actions.js';

export interface ApprovalPolicy {
  approverRoleIds: string[];
  /** Distinct approvers needed; at least 1. */
  quorum: number;
  allowSelfApproval: boolean;
}

/** The member deciding, as Discord describes them in the interaction. */
export interface Decider {
  userId: string;
  roleIds: string[];
  /** Discord's permission bit set, as a decimal string. */
  permissions: string;
}

export type Decision =
  | { kind: 'approve' }
  | { kind: 'reject' }
  | { kind: 'modify'; action: ApprovalAction; reason?: string };

export type Verdict = { ok: true } | { ok: false; reason: string };

export type Outcome = 'pending' | 'approved' | 'rejected';

const ADMINISTRATOR = 1n << 3n;

export class ApprovalDecisions {
  readonly approvedBy: string[] = [];
  rejectedBy?: string;

  constructor(
    readonly policy: ApprovalPolicy,
    readonly requesterId: string | undefined,
  ) {}

  get outcome(): Outcome {
    if (this.rejectedBy) return 'rejected';
    return this.approvedBy.length >= this.policy.quorum ? 'approved' : 'pending';
  }

  validate(decider: Decider, decision: Decision, action: ApprovalAction): Verdict {
    if (this.outcome !== 'pending') return refuse('This request was already decided.');
    if (!this.isApprover(decider)) return refuse('Only approvers can decide this request.');
    const ownRequest = decider.userId === this.requesterId;
    if (decision.kind !== 'reject' && ownRequest && !this.policy.allowSelfApproval) {
      return refuse('You asked for this action, so someone else must approve it.');
    }
    if (decision.kind === 'approve' && this.approvedBy.includes(decider.userId)) {
      return refuse(`You already approved this; it needs ${this.policy.quorum} different approvers.`);
    }
    if (decision.kind === 'modify' && !isMilderOrEqual(decision.action, action)) {
      return refuse('Modify can only make the action milder (a shorter timeout, or timeout or kick instead of a ban).');
    }
    return { ok: true };
  }

  /**
   * Applies a validated decision. A modification changes the action, not the count: approvals given so far stand,
   * as they approved something at least as harsh.
   */
  apply(decider: Decider, decision: Decision): void {
    if (decision.kind === 'reject') this.rejectedBy = decider.userId;
    if (decision.kind === 'approve') this.approvedBy.push(decider.userId);
  }

  private isApprover(decider: Decider): boolean {
    return isApprover(decider, this.policy.approverRoleIds);
  }
}

/** A member with one of the approver roles, or with Administrator. */
export function isApprover(decider: Decider, approverRoleIds: readonly string[]): boolean {
  const administrator = (BigInt(decider.permissions || '0') & ADMINISTRATOR) !== 0n;
  return administrator || decider.roleIds.some((role) => approverRoleIds.includes(role));
}

function refuse(reason: string): Verdict {
  return { ok: false, reason };
}
