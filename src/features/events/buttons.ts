// The event card's buttons (Going, Maybe, Can't go, I'm here) and the DM buttons (Claim my seat, Leave). Each is a
// Workflow Update with the interaction's id, answered ephemerally with its outcome or the event's refusal.
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { eventCustomIds } from '../../../workflows/events/custom-id.js';
import { EVENT_REFUSED, checkIn, claimSeat, eventWorkflowId, rsvp, type Member, type RsvpResult } from '../../../workflows/events/messages.js';
import type { Answer } from '../../../workflows/events/roster.js';
import { componentHandler } from '../../discord/handlers.js';
import { updateRefusal } from '../../temporal/update-refusal.js';

const ANSWERS: Record<string, Answer> = { going: 'going', maybe: 'maybe', no: 'no', leave: 'no' };

export const eventButtons = componentHandler(eventCustomIds, async (interaction, { action, key }, respond, { temporal }) => {
  await respond.acknowledge({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
  const user = interaction.member?.user ?? interaction.user!;
  // In a DM (Claim, Leave) there are no roles: those buttons need none.
  const member: Member = { userId: user.id, roleIds: interaction.member?.roles ?? [], permissions: interaction.member?.permissions ?? '0' };
  const handle = temporal.workflow.getHandle(eventWorkflowId(key.guildId, key.eventId));
  let content: string;
  try {
    if (action === 'here') {
      await handle.executeUpdate(checkIn, { args: [{ member }], updateId: interaction.id });
      content = 'Checked in. Enjoy!';
    } else if (action === 'claim') {
      content = describe(await handle.executeUpdate(claimSeat, { args: [{ member }], updateId: interaction.id }));
    } else {
      content = describe(await handle.executeUpdate(rsvp, { args: [{ member, answer: ANSWERS[action]!, clickId: interaction.id }], updateId: interaction.id }));
    }
  } catch (error) {
    const refusal = updateRefusal(error, { refusalType: EVENT_REFUSED, finished: 'This event is over.', simultaneous: 'Your answer crossed another change; try again.' });
    if (refusal === undefined) throw error;
    content = refusal;
  }
  await respond.editOriginal({ content });
});

function describe(result: RsvpResult): string {
  switch (result.outcome) {
    case 'going':
      return "You're going.";
    case 'waitlisted':
      return `The event is full: you're number ${result.waitlistPosition} on the waitlist. If a seat opens, I'll offer it to you by DM.`;
    case 'maybe':
      return 'Noted as maybe.';
    case 'no':
      return "Noted: you can't go.";
    default:
      return 'Your answer was already that.';
  }
}
