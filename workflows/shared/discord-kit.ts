// A small kit for the Discord messages flows render: embeds and button rows as typed data (Discord's own enums
// from discord-api-types), and Discord's limits in one place. Pure, so workflows render their cards themselves.
// Runtime imports come from discord-api-types' payloads only: every new workflow evaluates what it imports, and
// the REST, gateway and RPC modules would add 155 KB of enums a card never uses.
import {
  ButtonStyle,
  ComponentType,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
} from 'discord-api-types/payloads/v10';

/** Discord's message limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  /** Title, description, field names and values, footer and author name of all embeds together. */
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  buttonLabel: 80,
  buttonsPerRow: 5,
  rows: 5,
} as const;

/** An embed as Steward writes them: always a title and a description. */
export interface Embed extends APIEmbed {
  title: string;
  description: string;
  fields?: { name: string; value: string; inline?: boolean }[];
}

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

/** A message body Steward sends or edits: text, embeds and button rows. */
export interface CardMessage {
  content: string;
  embeds: Embed[];
  components: ButtonRow[];
}

export { ButtonStyle };

/** The styles of a button that sends its custom_id back (link and premium buttons do not). */
export type ActionButtonStyle = APIButtonComponentWithCustomId['style'];

export function button(label: string, customId: string, style: ActionButtonStyle = ButtonStyle.Secondary): APIButtonComponent {
  return { type: ComponentType.Button, style, label: truncate(label, DISCORD_LIMITS.buttonLabel), custom_id: customId };
}

/** A modal's row with one text input, pre-filled with `value` (cut to `maxLength`) when there is one. */
export function textInputRow(input: { customId: string; label: string; style: TextInputStyle; value: string; required: boolean; maxLength: number }) {
  return {
    type: ComponentType.ActionRow as const,
    components: [
      {
        type: ComponentType.TextInput as const,
        custom_id: input.customId,
        label: input.label,
        style: input.style,
        required: input.required,
        max_length: input.maxLength,
        ...(input.value ? { value: input.value.slice(0, input.maxLength) } : {}),
      },
    ],
  };
}

export { TextInputStyle };

export function buttonRow(buttons: readonly APIButtonComponent[]): ButtonRow {
  if (buttons.length > DISCORD_LIMITS.buttonsPerRow) throw new RangeError(`A row holds at most ${DISCORD_LIMITS.buttonsPerRow} buttons.`);
  return { type: ComponentType.ActionRow, components: [...buttons] };
}

/**
 * At most `max` UTF-16 units (what Discord counts is never more), ending in `…` when shortened, and never
 * splitting a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = text.slice(0, max - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** The characters Discord counts towards the 6,000 of a message's embeds. */
export function embedLength(embed: Embed): number {
  return (
    embed.title.length +
    embed.description.length +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0) +
    (embed.footer?.text.length ?? 0)
  );
}

/** Whether a message keeps to Discord's limits; an empty list means it does. */
export function limitViolations(message: { content: string; embeds: readonly Embed[] }): string[] {
  const problems: string[] = [];
  if (message.content.length > DISCORD_LIMITS.content) problems.push('content');
  if (message.embeds.length > DISCORD_LIMITS.embeds) problems.push('embeds');
  if (message.embeds.reduce((sum, embed) => sum + embedLength(embed), 0) > DISCORD_LIMITS.embedTotal) problems.push('embed total');
  for (const embed of message.embeds) {
    if (embed.title.length > DISCORD_LIMITS.title) problems.push('title');
    if (embed.description.length > DISCORD_LIMITS.description) problems.push('description');
    if ((embed.fields ?? []).length > DISCORD_LIMITS.fields) problems.push('fields');
    for (const field of embed.fields ?? []) {
      if (field.name.length > DISCORD_LIMITS.fieldName) problems.push('field name');
      if (field.value.length > DISCORD_LIMITS.fieldValue) problems.push('field value');
    }
    if ((embed.footer?.text.length ?? 0) > DISCORD_LIMITS.footer) problems.push('footer');
  }
  return problems;
}

/** The last guard: shortens the description until the whole embed fits Discord's 6,000 characters. */
export function fitEmbed<E extends Embed>(embed: E): E {
  const excess = embedLength(embed) - DISCORD_LIMITS.embedTotal;
  if (excess <= 0) return embed;
  return { ...embed, description: truncate(embed.description, Math.max(embed.description.length - excess, 0)) };
}

/** Discord's `<t:…>` markup shows a time in each reader's own time zone; unparseable input is shown as it is. */
export function discordTime(iso: string, style: 'f' | 'd' | 'R'): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? `<t:${Math.floor(ms / 1000)}:${style}>` : truncate(iso, 40);
}

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\[\]*_~`|]/g, '\\$&');
}
