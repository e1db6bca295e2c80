// Discord's Message Content intent applies to REST reads as well as the gateway: without it, guild messages come
// back with empty content (except the app's own, DMs, mentions of it, and the message a context-menu command
// targets, which arrives in the interaction's resolved data). The application's flags say whether it is on.
import type { REST } from '@discordjs/rest';
import { ApplicationFlags, Routes, type APIApplication } from 'discord-api-types/v10';

const MESSAGE_CONTENT_FLAGS = ApplicationFlags.GatewayMessageContent | ApplicationFlags.GatewayMessageContentLimited;

export async function hasMessageContentIntent(rest: REST): Promise<boolean> {
  const application = (await rest.get(Routes.currentApplication())) as APIApplication;
  return ((application.flags ?? 0) & MESSAGE_CONTENT_FLAGS) !== 0;
}

export const MESSAGE_CONTENT_WARNING =
  'The Message Content intent is off for this application: Steward reads only the messages commands target. ' +
  'Turn it on in the Discord developer portal (your application → Bot → Privileged Gateway Intents → Message Content Intent).';
