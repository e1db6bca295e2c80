// How a handler answers an interaction, whichever way it arrived. Over the gateway the first answer is a REST
// callback; over the HTTP endpoint it is the body of Discord's POST. Later edits and follow-ups go through the
// interaction webhook (valid 15 minutes) either way.
import type { REST } from '@discordjs/rest';
import {
  InteractionResponseType,
  MessageFlags,
  Routes,
  type APIInteractionResponse,
  type RESTPatchAPIWebhookWithTokenMessageJSONBody,
  type RESTPostAPIWebhookWithTokenJSONBody,
} from 'discord-api-types/v10';

export interface UploadedFile {
  name: string;
  data: Buffer;
  contentType?: string;
}

export interface InteractionResponder {
  /** The initial response; Discord allows exactly one, within 3 seconds. */
  acknowledge(response: APIInteractionResponse): Promise<void>;
  /** `files` are uploaded with the edit (a chart image); the body's `attachments` name them. */
  editOriginal(body: RESTPatchAPIWebhookWithTokenMessageJSONBody, files?: readonly UploadedFile[]): Promise<void>;
  followUp(body: RESTPostAPIWebhookWithTokenJSONBody): Promise<void>;
}

export interface InteractionRef {
  id: string;
  token: string;
  applicationId: string;
}

/** Webhook calls shared by both ways in. */
function webhookCalls(rest: REST, { applicationId, token }: InteractionRef) {
  return {
    async editOriginal(body: RESTPatchAPIWebhookWithTokenMessageJSONBody, files?: readonly UploadedFile[]) {
      await rest.patch(Routes.webhookMessage(applicationId, token, '@original'), { body, auth: false, ...(files?.length ? { files: [...files] } : {}) });
    },
    async followUp(body: RESTPostAPIWebhookWithTokenJSONBody) {
      await rest.post(Routes.webhook(applicationId, token), { body, auth: false });
    },
  };
}

export function gatewayResponder(rest: REST, interaction: InteractionRef): InteractionResponder {
  return {
    async acknowledge(response) {
      await rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body: response, auth: false });
    },
    ...webhookCalls(rest, interaction),
  };
}

/** The first acknowledgement resolves `initial` (sent as the HTTP answer); a second one is a programming error. */
export function httpResponder(rest: REST, interaction: InteractionRef) {
  let answer!: (response: APIInteractionResponse) => void;
  const initial = new Promise<APIInteractionResponse>((resolve) => (answer = resolve));
  let acknowledged = false;
  const responder: InteractionResponder = {
    async acknowledge(response) {
      if (acknowledged) throw new Error('interaction already acknowledged');
      acknowledged = true;
      answer(response);
    },
    ...webhookCalls(rest, interaction),
  };
  return { responder, initial };
}

export const ephemeral = MessageFlags.Ephemeral;

export const deferEphemeral: APIInteractionResponse = {
  type: InteractionResponseType.DeferredChannelMessageWithSource,
  data: { flags: MessageFlags.Ephemeral },
};

export function ephemeralMessage(content: string): APIInteractionResponse {
  return { type: InteractionResponseType.ChannelMessageWithSource, data: { content, flags: MessageFlags.Ephemeral } };
}
