// The one registry: the commands registered with Discord at start-up are exactly the ones handled here.
import { pingButtons, pingCommand } from './ping.js';
import type { ComponentHandler, SlashCommand } from './types.js';

export const slashCommands: readonly SlashCommand[] = [pingCommand];
export const componentHandlers: readonly ComponentHandler[] = [pingButtons];
