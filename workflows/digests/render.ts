// The digest as Discord messages: a header, the summary paragraph when there is one, then a section per feature
// with something to say, packed into as few messages as Discord's limits allow (10 embeds and 6,000 characters a
// message, 4,096 a description). Deterministic: the workflow renders, activities only post.
import type { DigestSection } from '../shared/digest.js';
import type { DigestMessage } from './messages.js';

const MAX_EMBEDS = 10;
const MAX_MESSAGE_CHARACTERS = 6000;
const MAX_DESCRIPTION = 4096;
const MAX_TITLE = 256;
const COLOUR = 0x5865f2;

export interface DigestContent {
  guildName?: string;
  from: string;
  to: string;
  timeZone: string;
  sections: readonly DigestSection[];
  summary: { text: string; writtenBy: string } | null;
  /** Sections that could not be gathered this time (named so a reader knows something is missing). */
  missing: readonly string[];
}

export function renderDigest(content: DigestContent): DigestMessage[] {
  // The week's first and last day in the server's time zone (the end is exclusive: a minute before it).
  const day = (iso: string, year: boolean) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', ...(year ? { year: 'numeric' } : {}), timeZone: content.timeZone }).format(new Date(iso));
  const from = day(content.from, false);
  const to = day(new Date(Date.parse(content.to) - 60_000).toISOString(), true);
  const embeds: { title: string; description: string; color: number; footer?: { text: string } }[] = [
    {
      title: clip(`🗞️ Weekly digest · ${from} – ${to}`, MAX_TITLE),
      description: content.sections.length ? `What happened in the server this week (${content.timeZone}).` : 'A quiet week: nothing to report.',
      color: COLOUR,
      ...(content.missing.length ? { footer: { text: `Not included this time: ${content.missing.join(', ')}` } } : {}),
    },
    ...(content.summary ? [{ title: '✨ Summary', description: clip(content.summary.text, MAX_DESCRIPTION), color: COLOUR, footer: { text: `Written by ${content.summary.writtenBy}` } }] : []),
    ...content.sections.map((section) => ({ title: clip(section.title, MAX_TITLE), description: fitLines(section.lines), color: COLOUR })),
  ];
  const messages: DigestMessage[] = [];
  let current: DigestMessage = { embeds: [] };
  let characters = 0;
  for (const embed of embeds) {
    const size = embed.title.length + embed.description.length + (embed.footer?.text.length ?? 0);
    if (current.embeds.length === MAX_EMBEDS || characters + size > MAX_MESSAGE_CHARACTERS) {
      messages.push(current);
      current = { embeds: [] };
      characters = 0;
    }
    current.embeds.push(embed);
    characters += size;
  }
  messages.push(current);
  return messages;
}

/** Whole lines up to the description limit, then a note of how many were left out. */
function fitLines(lines: readonly string[]): string {
  const kept: string[] = [];
  let length = 0;
  for (const [index, line] of lines.entries()) {
    const more = `\n…and ${lines.length - index} more`;
    if (length + line.length + 1 + more.length > MAX_DESCRIPTION) {
      kept.push(more.trim());
      break;
    }
    kept.push(line);
    length += line.length + 1;
  }
  return kept.join('\n') || '—';
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
