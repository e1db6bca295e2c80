// Who may decide an approval request, quorum, and how Modify may change the action: the rules the workflow's
// Update validator runs.
import { describeAction, isMilderOrEqual, parseDuration } from '../../../workflows/approvals/actions.js';
import { ApprovalDecisions, type Decider } from '../../../workflows/approvals/decisions.js';

const policy = { approverRoleIds: ['approvers'], quorum: 2, allowSelfApproval: false };
const member = (userId: string, roleIds: string[] = ['approvers'], permissions = '0'): Decider => ({ userId, roleIds, permissions });
const ban = { type: 'ban' as const };

test('approvers are members with an approver role, or Administrators', () => {
  const decisions = new ApprovalDecisions(policy, 'requester');
  expect(decisions.validate(member('a'), { kind: 'approve' }, ban)).toEqual({ ok: true });
  expect(decisions.validate(member('b', []), { kind: 'approve' }, ban)).toEqual({ ok: false, reason: 'Only approvers can decide this request.' });
  expect(decisions.validate(member('c', [], String(1n << 3n)), { kind: 'approve' }, ban)).toEqual({ ok: true });
});

test('the requester may reject their own request, but approve it only where the server allows it', () => {
  const strict = new ApprovalDecisions(policy, 'requester');
  expect(strict.validate(member('requester'), { kind: 'approve' }, ban).ok).toBe(false);
  expect(strict.validate(member('requester'), { kind: 'reject' }, ban).ok).toBe(true);
  const lenient = new ApprovalDecisions({ ...policy, allowSelfApproval: true }, 'requester');
  expect(lenient.validate(member('requester'), { kind: 'approve' }, ban).ok).toBe(true);
});

test('a quorum counts distinct approvers; one rejection decides', () => {
  const decisions = new ApprovalDecisions(policy, undefined);
  decisions.apply(member('a'), { kind: 'approve' });
  expect(decisions.outcome).toBe('pending');
  expect(decisions.validate(member('a'), { kind: 'approve' }, ban).ok).toBe(false);
  decisions.apply(member('b'), { kind: 'approve' });
  expect(decisions.outcome).toBe('approved');
  expect(decisions.validate(member('c'), { kind: 'reject' }, ban)).toEqual({ ok: false, reason: 'This request was already decided.' });

  const rejected = new ApprovalDecisions(policy, undefined);
  rejected.apply(member('a'), { kind: 'reject' });
  expect(rejected.outcome).toBe('rejected');
});

test('Modify only makes the action milder', () => {
  const timeout = (durationSeconds: number) => ({ type: 'timeout' as const, durationSeconds });
  expect(isMilderOrEqual(timeout(3600), ban)).toBe(true);
  expect(isMilderOrEqual({ type: 'kick' }, ban)).toBe(true);
  expect(isMilderOrEqual(ban, { type: 'kick' })).toBe(false);
  expect(isMilderOrEqual(timeout(600), timeout(3600))).toBe(true);
  expect(isMilderOrEqual(timeout(7200), timeout(3600))).toBe(false);
  const decisions = new ApprovalDecisions(policy, undefined);
  expect(decisions.validate(member('a'), { kind: 'modify', action: ban }, { type: 'kick' }).ok).toBe(false);
});

test('durations are read as typed and described in words', () => {
  expect([parseDuration('90m'), parseDuration('2h'), parseDuration(' 1d '), parseDuration('3600'), parseDuration('soon')]).toEqual([
    5400, 7200, 86_400, 3600, undefined,
  ]);
  expect(describeAction({ type: 'timeout', durationSeconds: 7200 })).toBe('Timeout for 2 hours');
  expect(describeAction({ type: 'timeout', durationSeconds: 60 })).toBe('Timeout for 1 minute');
});
