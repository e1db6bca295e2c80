// The screening gate's Verify button and its question. With a question, Verify answers with a modal at once (the
// question comes from the adapter's in-memory settings: nothing slower runs before Discord's 3 seconds); the
// answer, or a Verify without a question, is an Update on the member's own screening workflow, whose validator
// checks the account's age and the answer. The member reads the outcome in Steward's words.
import { ComponentType, InteractionResponseType, InteractionType, MessageFlags, TextInputStyle } from 'discord-api-types/v10';
import { screeningCustomIds } from '../../../workflows/raid/custom-id.js';
import { SCREENING_REFUSED, screeningWorkflowId, verifyMember } from '../../../workflows/raid/screening.js';
import { textInputRow } from '../../../workflows/shared/discord-kit.js';
import { componentHandler } from '../../discord/handlers.js';
import { updateRefusal } from '../../temporal/update-refusal.js';
import { raidRulebook } from './rulebook.js';

const ANSWER_INPUT = 'answer';

export const screeningButtons = componentHandler(screeningCustomIds, async (interaction, { action, key: guildId }, respond, { temporal, database }) => {
  const userId = interaction.member?.user.id ?? interaction.user!.id;
  const question = raidRulebook(database).current().get(guildId)?.screening.question;
  if (action === 'verify' && question) {
    await respond.acknowledge({
      type: InteractionResponseType.Modal,
      data: {
        custom_id: screeningCustomIds.encode('answer', guildId),
        title: 'Verify',
        components: [textInputRow({ customId: ANSWER_INPUT, label: question, style: TextInputStyle.Short, value: '', required: true, maxLength: 100 })],
      },
    });
    return;
  }
  await respond.acknowledge({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
  const answer = interaction.type === InteractionType.ModalSubmit ? answerIn(interaction.data.components) : undefined;
  let content: string;
  try {
    const outcome = await temporal.workflow
      .getHandle(screeningWorkflowId(guildId, userId))
      .executeUpdate(verifyMember, { args: [{ userId, ...(answer === undefined ? {} : { answer }) }], updateId: interaction.id });
    content = outcome === 'verified' ? 'Welcome! You are verified.' : 'You passed, but Steward could not give you the role: a moderator will let you in.';
  } catch (error) {
    const refusal = updateRefusal(error, { refusalType: SCREENING_REFUSED, finished: 'There is nothing for you to verify.', simultaneous: 'Please press Verify once more.' });
    if (refusal === undefined) throw error;
    content = refusal;
  }
  await respond.editOriginal({ content });
});

function answerIn(rows: readonly { type: number; components?: readonly { type: number; custom_id: string; value?: string }[] }[]): string {
  for (const row of rows) {
    if (row.type !== ComponentType.ActionRow) continue;
    for (const input of row.components ?? []) if (input.type === ComponentType.TextInput && input.custom_id === ANSWER_INPUT) return input.value ?? '';
  }
  return '';
}
