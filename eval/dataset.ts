// How eval conversations are written: chat lines numbered from 1, a target line, and the records a careful
// maintainer would keep, referring to lines by number. `conversation` turns that into messages with Discord-like ids.
import type { ConversationMessage } from '../activities/records/context-window.js';
import type { Subject } from '../workflows/records/subjects.js';
import type { ExpectedRecord } from './score.js';

export interface EvalConversation {
  name: string;
  /** What the case tests, for whoever reads a failing result. */
  covers: string;
  subjects: Subject[];
  /** Chronological, target included, as selectContext would hand them over. */
  messages: ConversationMessage[];
  targetId: string;
  thread?: { name: string; starterId: string };
  expected: ExpectedRecord[];
}

export const people = {
  ana: { id: '210000000000000001', name: 'Ana' },
  ben: { id: '210000000000000002', name: 'ben_fixes_things' },
  chloe: { id: '210000000000000003', name: 'Chloé' },
  dev: { id: '210000000000000004', name: 'Devika' },
  emil: { id: '210000000000000005', name: 'emil.k' },
  farid: { id: '210000000000000006', name: 'Farid' },
} as const;

export type Person = keyof typeof people;

export interface LineSpec {
  by: Person;
  text: string;
  /** Line number this one replies to. */
  replyTo?: number;
  /** Minutes since the previous line; 3 when absent. */
  after?: number;
  files?: string[];
}

export interface ExpectedSpec {
  type: string;
  /** Subject id; null: none; absent: not checked. */
  subject?: string | null;
  /** Line numbers the record must cite. */
  sources: number[];
  /** Who the record is attributed to; the author of its first source line when absent. */
  by?: Person;
  children?: ExpectedSpec[];
}

export interface ConversationSpec {
  name: string;
  covers: string;
  subjects: Subject[];
  lines: LineSpec[];
  target: number;
  /** The thread the target is in, and the line it was started from. */
  thread?: { name: string; starter: number };
  expected: ExpectedSpec[];
}

const start = Date.parse('2025-05-12T08:30:00.000Z');

/** Line `n` gets a snowflake-shaped id that sorts like time, as Discord's do. */
export function messageId(n: number): string {
  return `13720000000000000${String(n).padStart(2, '0')}`;
}

export function conversation(spec: ConversationSpec): EvalConversation {
  let minutes = 0;
  const messages = spec.lines.map((line, index): ConversationMessage => {
    minutes += line.after ?? 3;
    return {
      id: messageId(index + 1),
      authorId: people[line.by].id,
      authorName: people[line.by].name,
      content: line.text,
      createdAt: new Date(start + minutes * 60_000).toISOString(),
      ...(line.replyTo === undefined ? {} : { replyToId: messageId(line.replyTo) }),
      attachments: (line.files ?? []).map((name) => ({ name, url: `https://cdn.example/attachments/${name}` })),
      alreadyRecorded: false,
    };
  });
  const authorOf = (n: number): Person | undefined => spec.lines[n - 1]?.by;
  const expectation = (record: ExpectedSpec): ExpectedRecord => {
    const by = record.by ?? authorOf(record.sources[0] ?? 0);
    return {
      type: record.type,
      ...(record.subject === undefined ? {} : { subject: record.subject }),
      sources: record.sources.map(messageId),
      ...(by ? { author: people[by].id } : {}),
      ...(record.children ? { children: record.children.map(expectation) } : {}),
    };
  };
  return {
    name: spec.name,
    covers: spec.covers,
    subjects: spec.subjects,
    messages,
    targetId: messageId(spec.target),
    ...(spec.thread ? { thread: { name: spec.thread.name, starterId: messageId(spec.thread.starter) } } : {}),
    expected: spec.expected.map(expectation),
  };
}

export const arcade: Subject[] = [
  { id: 'afm', name: 'Addams Family' },
  { id: 'mm', name: 'Medieval Madness' },
  { id: 'tz', name: 'Twilight Zone' },
  { id: 'hockey', name: 'Air Hockey' },
  { id: 'claw', name: 'Claw Machine' },
  { id: 'change', name: 'Change Machine' },
];

export const workshop: Subject[] = [
  { id: 'laser', name: 'Laser Cutter' },
  { id: 'lathe', name: 'Lathe' },
  { id: 'bandsaw', name: 'Bandsaw' },
  { id: 'cnc', name: 'CNC Router' },
  { id: 'prusa1', name: 'Prusa MK4 #1' },
  { id: 'prusa2', name: 'Prusa MK4 #2' },
  { id: 'compressor', name: 'Compressor' },
];
