// Validates application command registrations (bulk overwrite) with Discord's naming and option rules.
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/v10';
import { FormErrors } from './errors.js';

type Json = Record<string, unknown>;

const CHAT_INPUT_NAME = /^[-_'\p{Ll}\p{Lo}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const OPTION_TYPES = new Set(Object.values(ApplicationCommandOptionType).filter((value) => typeof value === 'number'));
const SUBCOMMAND_TYPES = new Set<unknown>([ApplicationCommandOptionType.Subcommand, ApplicationCommandOptionType.SubcommandGroup]);

function validateName(errors: FormErrors, path: string, name: unknown, chatInput: boolean): void {
  if (!errors.required(path, name)) return;
  if (typeof name !== 'string') return errors.add(path, 'BASE_TYPE_STRING', 'Must be a string.');
  errors.lengthBetween(path, name, 1, 32);
  if (chatInput && !CHAT_INPUT_NAME.test(name)) {
    errors.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
}

function validateDescription(errors: FormErrors, path: string, description: unknown): void {
  if (!errors.required(path, description)) return;
  if (typeof description !== 'string') return errors.add(path, 'BASE_TYPE_STRING', 'Must be a string.');
  errors.lengthBetween(path, description, 1, 100);
}

function validateOptions(errors: FormErrors, path: string, options: unknown, depth: number): void {
  if (options === undefined || options === null) return;
  if (!Array.isArray(options)) return errors.add(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
  errors.maxLength(path, options, 25);
  const names = new Set<string>();
  let optionalSeen = false;
  options.forEach((raw: Json, index) => {
    const optionPath = `${path}.${index}`;
    validateName(errors, `${optionPath}.name`, raw.name, true);
    validateDescription(errors, `${optionPath}.description`, raw.description);
    if (!OPTION_TYPES.has(raw.type as number)) {
      errors.add(`${optionPath}.type`, 'BASE_TYPE_CHOICES', `Value must be one of {${[...OPTION_TYPES].join(', ')}}.`);
    }
    if (typeof raw.name === 'string') {
      if (names.has(raw.name)) errors.add(`${optionPath}.name`, 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique');
      names.add(raw.name);
    }
    if (raw.required === true && optionalSeen) {
      errors.add(`${optionPath}.required`, 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    }
    if (raw.required !== true) optionalSeen = true;
    if (Array.isArray(raw.choices)) errors.maxLength(`${optionPath}.choices`, raw.choices, 25);
    if (SUBCOMMAND_TYPES.has(raw.type)) {
      if (depth >= 2) errors.add(`${optionPath}.type`, 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Subcommands are nested too deep');
      validateOptions(errors, `${optionPath}.options`, raw.options, depth + 1);
    }
  });
}

/** Validates a bulk-overwrite body (an array of commands); throws 50035 with `<index>.<field>` paths. */
export function validateCommands(commands: unknown): Json[] {
  const errors = new FormErrors();
  if (!Array.isArray(commands)) {
    errors.add('_root', 'BASE_TYPE_ARRAY', 'Must be an array.');
    errors.throwIfAny();
    return [];
  }
  errors.maxLength('_root', commands, 100);
  const seen = new Set<string>();
  commands.forEach((raw: Json, index) => {
    const type = (raw.type as number | undefined) ?? ApplicationCommandType.ChatInput;
    const chatInput = type === ApplicationCommandType.ChatInput;
    validateName(errors, `${index}.name`, raw.name, chatInput);
    if (chatInput) {
      validateDescription(errors, `${index}.description`, raw.description);
      validateOptions(errors, `${index}.options`, raw.options, 0);
    } else if (raw.description) {
      errors.add(`${index}.description`, 'APPLICATION_COMMAND_DESCRIPTION_INVALID', 'Context menu commands cannot have a description');
    }
    const key = `${type}:${String(raw.name)}`;
    if (seen.has(key)) errors.add(`${index}.name`, 'APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
    seen.add(key);
  });
  errors.throwIfAny();
  return commands as Json[];
}
