// The offline provider's rules, used when no API key is configured: keywords in the target message decide at most
// one suggestion. Cards say no model was involved, so the rules stay few, predictable and documented here.
import { z } from 'zod';
import type { ConversationMessage } from './context-window.js';
import { findRecordType, type RecordTypeConfig } from '../../workflows/records/record-types.js';
import type { Subject } from '../../workflows/records/subjects.js';

export type OfflineMessage = Pick<ConversationMessage, 'id' | 'authorId' | 'content' | 'replyToId'>;

export interface OfflineSuggestionInput {
  conversation: readonly OfflineMessage[];
  targetId: string;
  recordTypes: readonly RecordTypeConfig[];
  subjects: readonly Subject[];
}

/** One suggestion in the tool's own shape, so the offline answer goes through validateSuggestions like a model's. */
export interface RawSuggestion {
  record_type: string;
  description: string;
  source_message_ids: string[];
  author_id: string;
  subject_id?: string;
  children?: RawSuggestion[];
}

/**
 * The offline provider's rule: reads back the request buildSuggestionRequest built and answers from keywords.
 * A request it cannot read gets no suggestions. The parameter is structurally a ToolCallRequest.
 */
export function suggestRecordsOffline(request: PromptText): { suggestions: RawSuggestion[] } {
  const data = readSuggestionRequest(request);
  return data ? offlineSuggestions(data) : { suggestions: [] };
}

// The prompt's data lines as the rules read them back: the prompt (prompt/data-blocks.ts) writes its lines with
// these same types, so the two cannot drift apart.
const transcriptLineSchema = z.strictObject({
  id: z.string(),
  author_id: z.string(),
  author: z.string(),
  at: z.string(),
  reply_to: z.string().nullable(),
  text: z.string(),
  attachments: z.array(z.string()),
  target: z.literal(true).optional(),
  already_recorded: z.literal(true).optional(),
});
const recordTypeLineSchema = z.strictObject({
  name: z.string(),
  label: z.string(),
  requires_subject: z.boolean(),
  child_only: z.boolean(),
  child_types: z.array(z.string()),
});
const subjectLineSchema = z.strictObject({ id: z.string(), name: z.string() });

export type TranscriptLine = z.infer<typeof transcriptLineSchema>;
export type RecordTypeLine = z.infer<typeof recordTypeLineSchema>;
export type SubjectLine = z.infer<typeof subjectLineSchema>;

/** What the rule needs of a ToolCallRequest: its text, not its tool. */
export interface PromptText {
  system: string;
  messages: readonly { role: string; content: string }[];
}

/** A message as the prompt shows it: attachments by name only. */
export type TranscriptMessage = Omit<ConversationMessage, 'attachments'> & { attachments: string[] };

export interface SuggestionRequestData extends OfflineSuggestionInput {
  conversation: TranscriptMessage[];
  recordTypes: RecordTypeConfig[];
  subjects: Subject[];
}

/**
 * The data of a request: record types and subjects from the system prompt's JSON lines, messages from the user
 * message's. Chat text cannot add a line, as the prompt escapes it inside JSON strings. Undefined unless exactly one
 * message is the target and some record type is listed.
 */
export function readSuggestionRequest(request: PromptText): SuggestionRequestData | undefined {
  const system = jsonLines(request.system);
  const recordTypes = parsed(system, recordTypeLineSchema).map(
    (line): RecordTypeConfig => ({
      name: line.name,
      label: line.label,
      childTypes: line.child_types,
      childOnly: line.child_only,
      requiresSubject: line.requires_subject,
    }),
  );
  const subjects = parsed(system, subjectLineSchema);
  const user = request.messages.flatMap((message) => (message.role === 'user' ? jsonLines(message.content) : []));
  const lines = parsed(user, transcriptLineSchema);
  const targets = lines.filter((line) => line.target);
  const [target] = targets;
  if (!target || targets.length > 1 || recordTypes.length === 0) return undefined;
  const conversation = lines.map(
    (line): TranscriptMessage => ({
      id: line.id,
      authorId: line.author_id,
      authorName: line.author,
      content: line.text,
      createdAt: line.at,
      ...(line.reply_to === null ? {} : { replyToId: line.reply_to }),
      attachments: line.attachments,
      alreadyRecorded: line.already_recorded ?? false,
    }),
  );
  return { conversation, targetId: target.id, recordTypes, subjects };
}

function jsonLines(text: string): unknown[] {
  return text.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as unknown];
    } catch {
      return [];
    }
  });
}

function parsed<T>(values: readonly unknown[], schema: z.ZodType<T>): T[] {
  return values.flatMap((value) => {
    const result = schema.safeParse(value);
    return result.success ? [result.data] : [];
  });
}

// Whole words or phrases, any case; written as regular expression fragments so inflections stay on one line.
export const DONE_WORDS = [
  'fixed', 'repaired', 'replaced', 'swapped', 'changed', 'cleaned', 'cleared', 'adjusted', 'installed', 'fitted',
  'tightened', 'lubricated', 'greased', 'oiled', 'calibrated', 'rebuilt', 'soldered', 'serviced', 'gefixt',
  'repariert',
];
export const FAULT_WORDS = [
  'broken', 'broke', 'dead', 'not working', "isn['’]t working", "doesn['’]t work", 'does not work', 'stopped working',
  "won['’]t (?:start|boot|turn on|work)", 'errors?', 'faulty', 'faults?', 'stuck', 'jam(?:med|s)?',
  'fail(?:s|ed|ing|ure)?', 'leak(?:s|ed|ing)?', 'overheat(?:s|ed|ing)?', 'flicker(?:s|ed|ing)?', 'out of order',
  'no power', 'burnt', 'kaputt?', 'defekt', 'u/s', 'n/w',
];
export const PART_WORDS = ['order(?:ed)?', 'needs? a new', 'replace', 'replacement', 'parts?', 'spares?'];

const done = wordPattern(DONE_WORDS);
const fault = wordPattern(FAULT_WORDS);
const part = wordPattern(PART_WORDS);

/**
 * The rules look at the target message, first match wins:
 * 1. work-done words: a log entry. When the target has no fault words but the message it replies to does, the log
 *    entry goes under a problem report of that message (the fix of a reported fault);
 * 2. fault words: a problem report;
 * 3. part words: a part request;
 * 4. otherwise nothing.
 * The subject is the catalogue name the target mentions first, else the nearest message up its reply chain that
 * names one, which then becomes a source too. A type the team lacks, or one that requires a subject nobody named,
 * falls back to a log entry of the target.
 */
export function offlineSuggestions(input: OfflineSuggestionInput): { suggestions: RawSuggestion[] } {
  const byId = new Map(input.conversation.map((message) => [message.id, message]));
  const target = byId.get(input.targetId);
  if (!target) return { suggestions: [] };
  const chain = replyChain(target, byId);
  const named = [target, ...chain]
    .map((message) => ({ message, subject: firstMention(message.content, input.subjects) }))
    .find((mention) => mention.subject !== undefined);

  const record = (type: string, from: OfflineMessage, cite: OfflineMessage[] = []): RawSuggestion => ({
    record_type: type,
    description: from.content.replace(/\s+/g, ' ').trim(),
    source_message_ids: [...new Set([from, ...cite].map((message) => message.id))],
    author_id: from.authorId,
    ...(named?.subject ? { subject_id: named.subject.id } : {}),
  });
  // The message that named the subject is evidence for the record, unless it is the target itself.
  const subjectSource = named && named.message !== target ? [named.message] : [];
  const usable = (name: string) => {
    const type = findRecordType(input.recordTypes, name);
    return type !== undefined && !type.childOnly && (named !== undefined || !type.requiresSubject);
  };

  const text = target.content;
  const [repliedTo] = chain;
  let type: string;
  if (done.test(text)) {
    const parent = findRecordType(input.recordTypes, 'problem_report');
    const fixesReport = repliedTo && !fault.test(text) && fault.test(repliedTo.content);
    if (fixesReport && usable('problem_report') && parent?.childTypes.includes('log_entry')) {
      const report = record('problem_report', repliedTo, subjectSource);
      return { suggestions: [{ ...report, children: [record('log_entry', target)] }] };
    }
    type = 'log_entry';
  } else if (fault.test(text)) type = 'problem_report';
  else if (part.test(text)) type = 'part_request';
  else return { suggestions: [] };

  if (!usable(type)) type = 'log_entry';
  return { suggestions: usable(type) ? [record(type, target, subjectSource)] : [] };
}

/** The messages the target replies to, nearest first, as far as the conversation holds them. */
function replyChain(target: OfflineMessage, byId: ReadonlyMap<string, OfflineMessage>): OfflineMessage[] {
  const chain: OfflineMessage[] = [];
  let next = target.replyToId === undefined ? undefined : byId.get(target.replyToId);
  while (next && next !== target && !chain.includes(next)) {
    chain.push(next);
    next = next.replyToId === undefined ? undefined : byId.get(next.replyToId);
  }
  return chain;
}

/** The subject named earliest in `text`; at the same position the longer name wins ("Lathe 2" over "Lathe"). */
function firstMention(text: string, subjects: readonly Subject[]): Subject | undefined {
  let best: { subject: Subject; at: number } | undefined;
  for (const subject of subjects) {
    const at = text.search(wordPattern([escapeRegExp(subject.name.trim())]));
    if (at < 0) continue;
    if (!best || at < best.at || (at === best.at && subject.name.length > best.subject.name.length)) {
      best = { subject, at };
    }
  }
  return best?.subject;
}

/** Letters and digits around a match would make it part of another word: "part" must not match "party". */
function wordPattern(fragments: readonly string[]): RegExp {
  const spaced = fragments.map((fragment) => fragment.replace(/ /g, '\\s+'));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${spaced.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, ' ');
}
