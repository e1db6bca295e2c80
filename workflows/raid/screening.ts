// The member-screening gate: one workflow per member who joins (`screening:<guild>:<member>`). It waits for the
// member's Verify (an Update with the interaction's id, whose validator checks the account's age and the answer to
// the server's question), then grants the member role; with no verification in time, it kicks them. Durable, so
// a kick due while the worker was down still happens, once.
import { ApplicationFailure, allHandlersFinished, condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { RaidActivities } from '../../activities/raid/index.js';
import { clock, showDetails } from '../shared/details.js';

export interface ScreeningRules {
  memberRoleId: string;
  minAccountAgeDays: number;
  /** A question members answer in a modal (Discord's label: at most 45 characters), or none. */
  question: string | null;
  /** The expected answer, compared without case or surrounding spaces. */
  answer: string | null;
  kickAfterMinutes: number;
}

export interface ScreeningInput {
  guildId: string;
  memberId: string;
  accountCreatedAt: number;
  rules: ScreeningRules;
}

/** `refused`: Discord would not give the role or kick (the member or role is above Steward's). */
export type ScreeningResult = 'verified' | 'kicked' | 'left' | 'refused';

/** `refused`: the member passed, but Discord would not give the role (it is above Steward's). */
export const verifyMember = defineUpdate<'verified' | 'refused', [{ userId: string; answer?: string }]>('verifyMember');

/** The failure type of a Verify the gate will not take; its message is what the member reads. */
export const SCREENING_REFUSED = 'ScreeningRefused';

export function screeningWorkflowId(guildId: string, memberId: string): string {
  return `screening:${guildId}:${memberId}`;
}

const io = proxyActivities<RaidActivities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumInterval: '30 seconds' } });

const DAY_MS = 86_400_000;

export async function screenMember(input: ScreeningInput): Promise<ScreeningResult> {
  const { rules } = input;
  let verified = false;
  let granted: 'granted' | 'refused' | undefined;
  const refuse = (words: string): never => {
    throw ApplicationFailure.create({ type: SCREENING_REFUSED, message: words });
  };
  const normalise = (text: string) => text.trim().toLowerCase();

  // The account's age is checked at the click, so an account that comes of age while it waits can still pass.
  const validate = ({ userId, answer }: { userId: string; answer?: string }) => {
    if (userId !== input.memberId) refuse('This Verify is for someone else.');
    if (verified) refuse('You are already verified.');
    const ageDays = (Date.now() - input.accountCreatedAt) / DAY_MS;
    if (ageDays < rules.minAccountAgeDays) refuse(`Your account is too new to join yet: accounts must be at least ${rules.minAccountAgeDays} days old. A moderator can let you in.`);
    if (rules.question && rules.answer !== null) {
      if (answer === undefined) refuse('Press Verify again to answer the question.');
      if (normalise(answer!) !== normalise(rules.answer)) refuse("That's not the answer; try again.");
    }
  };
  setHandler(
    verifyMember,
    async () => {
      verified = true;
      granted = await io.grantMemberRole({ guildId: input.guildId, memberId: input.memberId, roleId: rules.memberRoleId });
      return granted === 'granted' ? ('verified' as const) : ('refused' as const);
    },
    { validator: validate },
  );

  showDetails(`Waiting for member ${input.memberId} to press Verify since ${clock(Date.now())}; removed at ${clock(Date.now() + rules.kickAfterMinutes * 60_000)} if not`);
  if (await condition(() => verified, rules.kickAfterMinutes * 60_000)) {
    await condition(() => granted !== undefined && allHandlersFinished());
    showDetails(granted === 'granted' ? 'Verified: the member role was given' : 'Verified, but Discord refused the member role');
    return granted === 'granted' ? 'verified' : 'refused';
  }
  showDetails('Not verified in time: removing the member');
  const kicked = await io.kickUnverified({ guildId: input.guildId, memberId: input.memberId, reason: `Did not verify within ${rules.kickAfterMinutes} minute${rules.kickAfterMinutes === 1 ? '' : 's'}` });
  return kicked === 'gone' ? 'left' : kicked;
}
