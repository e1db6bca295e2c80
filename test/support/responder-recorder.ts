// An InteractionResponder that records what a handler answered, in order, for tests of the dispatcher itself.
import type { APIInteractionResponse } from 'discord-api-types/v10';
import type { InteractionResponder } from '../../src/discord/responder.js';

export function recordingResponder() {
  const calls: { kind: string; body: unknown }[] = [];
  const responder: InteractionResponder = {
    acknowledge: async (body: APIInteractionResponse) => void calls.push({ kind: 'acknowledge', body }),
    editOriginal: async (body) => void calls.push({ kind: 'editOriginal', body }),
    followUp: async (body) => void calls.push({ kind: 'followUp', body }),
  };
  return { calls, responder };
}
