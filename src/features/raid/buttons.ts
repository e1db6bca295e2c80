// The lockdown alert card's buttons: Lift, Extend, Escalate and Ban raiders. Each is a Workflow Update with the interaction's
// id; the lockdown's validator lets approvers only, and the member reads its refusal in Steward's words.
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { lockdownCustomIds } from '../../../workflows/raid/custom-id.js';
import { LOCKDOWN_REFUSED, commandLockdown, lockdownWorkflowId } from '../../../workflows/raid/messages.js';
import { componentHandler } from '../../discord/handlers.js';
import { updateRefusal } from '../../temporal/update-refusal.js';

const DONE = {
  lift: 'Lifting the lockdown: everything it changed is being restored.',
  extend: 'Extended: the lockdown stays for another quiet spell.',
  escalate: 'Escalated to the next level.',
  bans: 'Asked the approvers to ban everyone who joined during the raid.',
} as const;

export const lockdownButtons = componentHandler(lockdownCustomIds, async (interaction, { action, key: guildId }, respond, { temporal }) => {
  await respond.acknowledge({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
  const member = interaction.member;
  const decider = { userId: member?.user.id ?? interaction.user!.id, roleIds: member?.roles ?? [], permissions: member?.permissions ?? '0' };
  let content: string = DONE[action];
  try {
    await temporal.workflow.getHandle(lockdownWorkflowId(guildId)).executeUpdate(commandLockdown, { args: [{ command: action, decider }], updateId: interaction.id });
  } catch (error) {
    const refusal = updateRefusal(error, { refusalType: LOCKDOWN_REFUSED, finished: 'This lockdown is over.', simultaneous: 'Someone else pressed a button at the same moment; try again.' });
    if (refusal === undefined) throw error;
    content = refusal;
  }
  await respond.editOriginal({ content });
});
