// The one registry: the commands registered with Discord at start-up are exactly the ones handled here.
import { addToRecordsCommand, reviewComponents } from './add-to-records.js';
import { pingButtons, pingCommand } from './ping.js';
import type { Command, ComponentHandler } from './types.js';

export interface CommandSettings {
  /** The message context-menu entry that starts a record review. */
  recordsCommandName: string;
  reviewTimeoutMs: number;
}

export function stewardCommands(settings: CommandSettings): readonly Command<never>[] {
  return [pingCommand, addToRecordsCommand(settings.recordsCommandName, settings.reviewTimeoutMs)];
}

export const componentHandlers: readonly ComponentHandler[] = [pingButtons, reviewComponents];
