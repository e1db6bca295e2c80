// Validates message bodies (content, embeds, components) and modals with Discord's limits and error codes.
import { ButtonStyle, ComponentType, MessageFlags } from 'discord-api-types/v10';
import { emptyMessage, FormErrors } from './errors.js';

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
const asArray = (value: unknown): unknown[] | undefined => (Array.isArray(value) ? value : undefined);
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const SELECT_TYPES = new Set<number>([
  ComponentType.StringSelect,
  ComponentType.UserSelect,
  ComponentType.RoleSelect,
  ComponentType.MentionableSelect,
  ComponentType.ChannelSelect,
]);
/** Flags a bot may set when sending or editing. */
const SETTABLE_FLAGS = MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.Ephemeral;

function typeOf(errors: FormErrors, path: string, value: unknown, expected: 'string' | 'array' | 'object'): boolean {
  const ok = expected === 'array' ? Array.isArray(value) : expected === 'object' ? asObject(value) : typeof value === 'string';
  if (!ok) {
    const code = expected === 'string' ? 'BASE_TYPE_STRING' : expected === 'array' ? 'BASE_TYPE_ARRAY' : 'DICT_TYPE_CONVERT';
    const message = expected === 'object' ? 'Only dictionaries may be used in a DictType' : `Must be a ${expected}.`;
    errors.add(path, code, message);
  }
  return Boolean(ok);
}

function embedText(embed: Json): string[] {
  const fields = asArray(embed.fields) ?? [];
  return [
    asString(embed.title),
    asString(embed.description),
    asString(asObject(embed.footer)?.text),
    asString(asObject(embed.author)?.name),
    ...fields.flatMap((field) => [asString(asObject(field)?.name), asString(asObject(field)?.value)]),
  ].filter((text) => text !== undefined);
}

function validateEmbeds(errors: FormErrors, embeds: unknown[]): void {
  errors.maxLength('embeds', embeds, 10);
  let total = 0;
  embeds.forEach((raw, index) => {
    const path = `embeds.${index}`;
    const embed = asObject(raw);
    if (!embed) return void typeOf(errors, path, raw, 'object');
    errors.maxLength(`${path}.title`, asString(embed.title), 256);
    errors.maxLength(`${path}.description`, asString(embed.description), 4096);
    errors.maxLength(`${path}.footer.text`, asString(asObject(embed.footer)?.text), 2048);
    errors.maxLength(`${path}.author.name`, asString(asObject(embed.author)?.name), 256);
    const fields = asArray(embed.fields) ?? [];
    errors.maxLength(`${path}.fields`, fields, 25);
    fields.forEach((rawField, fieldIndex) => {
      const field = asObject(rawField) ?? {};
      const fieldPath = `${path}.fields.${fieldIndex}`;
      if (errors.required(`${fieldPath}.name`, field.name)) errors.lengthBetween(`${fieldPath}.name`, asString(field.name), 1, 256);
      if (errors.required(`${fieldPath}.value`, field.value)) {
        errors.lengthBetween(`${fieldPath}.value`, asString(field.value), 1, 1024);
      }
    });
    total += embedText(embed).reduce((sum, text) => sum + text.length, 0);
  });
  if (total > 6000) errors.add('embeds', 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
}

function validateCustomId(errors: FormErrors, path: string, customId: unknown, seen: Set<string>): void {
  if (!errors.required(path, customId) || !typeOf(errors, path, customId, 'string')) return;
  const id = customId as string;
  errors.lengthBetween(path, id, 1, 100);
  if (seen.has(id)) errors.add(path, 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
  seen.add(id);
}

function validateButton(errors: FormErrors, path: string, button: Json, seen: Set<string>): void {
  errors.maxLength(`${path}.label`, asString(button.label), 80);
  if (button.style === ButtonStyle.Link) {
    errors.required(`${path}.url`, button.url);
    if (button.custom_id !== undefined) {
      errors.add(`${path}.custom_id`, 'BUTTON_COMPONENT_CUSTOM_ID_URL_COLLISION', 'A custom id and url cannot both be specified');
    }
  } else if (button.style === ButtonStyle.Premium) {
    errors.required(`${path}.sku_id`, button.sku_id);
  } else {
    if (button.url !== undefined) errors.add(`${path}.url`, 'BUTTON_COMPONENT_URL_NOT_ALLOWED', 'A url cannot be specified');
    validateCustomId(errors, `${path}.custom_id`, button.custom_id, seen);
  }
  if (button.label === undefined && button.emoji === undefined && button.style !== ButtonStyle.Premium) {
    errors.add(`${path}.label`, 'BUTTON_COMPONENT_LABEL_REQUIRED', 'A label or emoji is required');
  }
}

function validateSelect(errors: FormErrors, path: string, select: Json, seen: Set<string>): void {
  validateCustomId(errors, `${path}.custom_id`, select.custom_id, seen);
  errors.maxLength(`${path}.placeholder`, asString(select.placeholder), 150);
  if (select.type !== ComponentType.StringSelect) return;
  const options = asArray(select.options);
  if (!errors.required(`${path}.options`, options) || !options) return;
  errors.lengthBetween(`${path}.options`, options, 1, 25);
  options.forEach((rawOption, index) => {
    const option = asObject(rawOption) ?? {};
    for (const key of ['label', 'value']) {
      const optionPath = `${path}.options.${index}.${key}`;
      if (errors.required(optionPath, option[key])) errors.lengthBetween(optionPath, asString(option[key]), 1, 100);
    }
  });
  const max = typeof select.max_values === 'number' ? select.max_values : 1;
  if (max > options.length) errors.add(`${path}.max_values`, 'BASE_TYPE_MAX', `int value should be less than or equal to ${options.length}.`);
}

/** Message components: up to 5 action rows holding up to 5 buttons or exactly one select menu. */
export function validateComponents(errors: FormErrors, rows: unknown[]): void {
  errors.maxLength('components', rows, 5);
  const seen = new Set<string>();
  rows.forEach((rawRow, rowIndex) => {
    const rowPath = `components.${rowIndex}`;
    const row = asObject(rawRow);
    if (!row) return void typeOf(errors, rowPath, rawRow, 'object');
    if (row.type !== ComponentType.ActionRow) {
      return errors.add(`${rowPath}.type`, 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
    }
    const children = asArray(row.components) ?? [];
    errors.lengthBetween(`${rowPath}.components`, children, 1, 5);
    const selects = children.filter((child) => SELECT_TYPES.has(Number(asObject(child)?.type)));
    if (selects.length > 0 && children.length > 1) {
      errors.add(`${rowPath}.components`, 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
    }
    children.forEach((rawChild, childIndex) => {
      const path = `${rowPath}.components.${childIndex}`;
      const child = asObject(rawChild) ?? {};
      if (child.type === ComponentType.Button) validateButton(errors, path, child, seen);
      else if (SELECT_TYPES.has(Number(child.type))) validateSelect(errors, path, child, seen);
      else errors.add(`${path}.type`, 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (2, 3, 5, 6, 7, 8).');
    });
  });
}

export interface MessageBodyRules {
  /** Creating requires some content; edits may change a single field. */
  requireSomething: boolean;
  /** Attachments arriving as multipart files count as content. */
  fileCount?: number;
}

/** Validates a create/edit message body; throws 50035 with field paths, or 50006 for an empty message. */
export function validateMessageBody(body: Json, rules: MessageBodyRules): void {
  const errors = new FormErrors();
  if (body.content !== undefined && body.content !== null && typeOf(errors, 'content', body.content, 'string')) {
    errors.maxLength('content', body.content as string, 2000);
  }
  if (body.embeds !== undefined && body.embeds !== null && typeOf(errors, 'embeds', body.embeds, 'array')) {
    validateEmbeds(errors, body.embeds as unknown[]);
  }
  if (body.components !== undefined && body.components !== null && typeOf(errors, 'components', body.components, 'array')) {
    validateComponents(errors, body.components as unknown[]);
  }
  if (body.nonce !== undefined && body.nonce !== null) {
    const nonce = typeof body.nonce === 'number' ? String(body.nonce) : asString(body.nonce);
    if (nonce === undefined) errors.add('nonce', 'BASE_TYPE_STRING', 'Must be a string.');
    else errors.maxLength('nonce', nonce, 25);
  }
  if (typeof body.flags === 'number' && (body.flags & ~SETTABLE_FLAGS) !== 0) {
    errors.add('flags', 'MESSAGE_FLAGS_INVALID', 'Invalid message flags');
  }
  errors.throwIfAny();
  if (!rules.requireSomething) return;
  const hasContent = typeof body.content === 'string' && body.content.trim().length > 0;
  const has = (key: string): boolean => (asArray(body[key])?.length ?? 0) > 0;
  if (!hasContent && !has('embeds') && !has('components') && !has('sticker_ids') && !body.poll && !rules.fileCount) {
    throw emptyMessage();
  }
}

/** Modals: title 1–45, 1–5 action rows each holding exactly one text input. */
export function validateModal(data: Json): void {
  const errors = new FormErrors();
  if (errors.required('data.custom_id', data.custom_id)) errors.lengthBetween('data.custom_id', asString(data.custom_id), 1, 100);
  if (errors.required('data.title', data.title)) errors.lengthBetween('data.title', asString(data.title), 1, 45);
  const rows = asArray(data.components) ?? [];
  errors.lengthBetween('data.components', rows, 1, 5);
  const seen = new Set<string>();
  rows.forEach((rawRow, rowIndex) => {
    const row = asObject(rawRow) ?? {};
    const children = asArray(row.components) ?? [];
    const rowPath = `data.components.${rowIndex}`;
    if (row.type !== ComponentType.ActionRow) errors.add(`${rowPath}.type`, 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
    errors.lengthBetween(`${rowPath}.components`, children, 1, 1);
    children.forEach((rawInput, inputIndex) => {
      const input = asObject(rawInput) ?? {};
      const path = `${rowPath}.components.${inputIndex}`;
      if (input.type !== ComponentType.TextInput) {
        return errors.add(`${path}.type`, 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (4,).');
      }
      validateCustomId(errors, `${path}.custom_id`, input.custom_id, seen);
      if (errors.required(`${path}.label`, input.label)) errors.lengthBetween(`${path}.label`, asString(input.label), 1, 45);
      for (const key of ['min_length', 'max_length']) {
        const value = input[key];
        if (value !== undefined && (typeof value !== 'number' || value < 0 || value > 4000)) {
          errors.add(`${path}.${key}`, 'NUMBER_TYPE_MAX', 'Must be between 0 and 4000.');
        }
      }
      const min = typeof input.min_length === 'number' ? input.min_length : 0;
      const max = typeof input.max_length === 'number' ? input.max_length : 4000;
      const value = asString(input.value);
      if (value !== undefined && (value.length < min || value.length > max)) {
        errors.add(`${path}.value`, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
      }
      errors.maxLength(`${path}.placeholder`, asString(input.placeholder), 100);
    });
  });
  errors.throwIfAny();
}
