// Interaction callbacks and the token webhooks (@original, followups), plus executing channel webhooks.
import { ApiError, unknownEntity } from '../../errors.js';
import type { InteractionRecord } from '../../interactions.js';
import { validateMessageBody } from '../../message-validation.js';
import { messagePayload } from '../../payloads.js';
import type { Services } from '../../services.js';
import type { WebhookRecord } from '../../state.js';
import { noContent, ok, type RestRequest, type Route } from '../router.js';
import { messageFields, uploadedAttachments } from './messages.js';
import { objectBody } from './common.js';

type Target = { interaction: InteractionRecord } | { webhook: WebhookRecord };

/** `/webhooks/:id/:token` serves both interaction tokens (id = application) and channel webhooks. */
function webhookTarget(services: Services, request: RestRequest): Target {
  const { webhook_id: id, webhook_token: token } = request.params as { webhook_id: string; webhook_token: string };
  if (services.core.state.applications.has(id)) return { interaction: services.interactions.byToken(id, token) };
  const webhook = services.core.state.webhooks.get(id);
  if (!webhook || webhook.token !== token) throw unknownEntity('webhook');
  return { webhook };
}

function webhookMessage(services: Services, target: Target, messageId: string) {
  if ('interaction' in target) return services.interactions.ownMessage(target.interaction, messageId);
  const message = services.core.state.messages.get(messageId);
  if (!message || message.data.webhook_id !== target.webhook.id) throw unknownEntity('message');
  return message;
}

export function interactionRoutes(services: Services): Route[] {
  const { interactions, messages } = services;
  const messageRoute = (method: string, template: string, handler: Route['handler']): Route => ({ method, template, auth: false, handler });
  const byId = (request: RestRequest) => webhookMessage(services, webhookTarget(services, request), request.params.message_id ?? '@original');

  const get = (request: RestRequest) => ok(messagePayload(byId(request), undefined));
  const edit = (request: RestRequest) => {
    const message = byId(request);
    const body = objectBody(request);
    const attachments = uploadedAttachments(services, request, message.data.channel_id, body);
    return ok(messagePayload(interactions.editResponse(message, body, attachments), undefined));
  };
  const remove = (request: RestRequest) => {
    messages.delete(byId(request));
    return noContent();
  };

  return [
    {
      method: 'POST',
      template: '/interactions/:interaction_id/:interaction_token/callback',
      auth: false,
      handler(request) {
        const body = objectBody(request);
        const withResponse = request.query.get('with_response') === 'true';
        const result = interactions.callback(request.params.interaction_id!, request.params.interaction_token!, body, withResponse);
        return result ? ok(result) : noContent();
      },
    },
    messageRoute('GET', '/webhooks/:webhook_id/:webhook_token/messages/@original', get),
    messageRoute('PATCH', '/webhooks/:webhook_id/:webhook_token/messages/@original', edit),
    messageRoute('DELETE', '/webhooks/:webhook_id/:webhook_token/messages/@original', remove),
    messageRoute('GET', '/webhooks/:webhook_id/:webhook_token/messages/:message_id', get),
    messageRoute('PATCH', '/webhooks/:webhook_id/:webhook_token/messages/:message_id', edit),
    messageRoute('DELETE', '/webhooks/:webhook_id/:webhook_token/messages/:message_id', remove),
    messageRoute('POST', '/webhooks/:webhook_id/:webhook_token', (request) => {
      const target = webhookTarget(services, request);
      const body = objectBody(request);
      if ('interaction' in target) {
        const { interaction } = target;
        const attachments = uploadedAttachments(services, request, interaction.channelId, body) ?? [];
        return ok(messagePayload(interactions.followup(interaction, body, request.files.length, attachments), undefined));
      }
      const { webhook } = target;
      validateMessageBody(body, { requireSomething: true, fileCount: request.files.length });
      if (!services.core.state.channels.has(webhook.channel_id)) throw new ApiError(404, 10003, 'Unknown Channel');
      const message = messages.create({
        authorId: webhook.id,
        channelId: webhook.channel_id,
        ...messageFields(body, uploadedAttachments(services, request, webhook.channel_id, body)),
        webhookId: webhook.id,
      });
      return request.query.get('wait') === 'true' ? ok(messagePayload(message, undefined)) : noContent();
    }),
  ];
}
