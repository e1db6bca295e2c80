// The data blocks of the suggestion prompt: one JSON object per line between a `<tag>` line and a `</tag>` line.
// The model reads them as quoted data; the offline rules read the same lines back (see offline-suggester.ts).
import type { ConversationMessage } from '../context-window.js';
import type { RecordTypeLine, SubjectLine, TranscriptLine } from '../offline-suggester.js';
import type { RecordTypeConfig } from '../../../workflows/records/record-types.js';
import type { Subject } from '../../../workflows/records/subjects.js';

export const TRANSCRIPT_TAG = 'transcript';
export const RECORD_TYPES_TAG = 'record_types';
export const SUBJECTS_TAG = 'subjects';

/**
 * JSON with `<`, `>` and the Unicode line separators escaped: the value still parses to the same text, but chat text
 * can no longer spell a closing tag or break a line, so it cannot end its block early, for the model or the parser.
 */
export function jsonLine(value: unknown): string {
  const escape = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return JSON.stringify(value).replace(/[<>\u2028\u2029]/g, escape);
}

function writeBlock(tag: string, values: readonly unknown[]): string {
  return [`<${tag}>`, ...values.map(jsonLine), `</${tag}>`].join('\n');
}

/** Attachments keep only their names: the model cannot open URLs, and they cost tokens. */
export function writeTranscript(conversation: readonly ConversationMessage[], targetId: string): string {
  return writeBlock(
    TRANSCRIPT_TAG,
    conversation.map((message): TranscriptLine => {
      const line: TranscriptLine = {
        id: message.id,
        author_id: message.authorId,
        author: message.authorName,
        at: message.createdAt,
        reply_to: message.replyToId ?? null,
        text: message.content,
        attachments: message.attachments.map((attachment) => attachment.name),
      };
      // Flags appear only when true, to keep the lines short.
      if (message.id === targetId) line.target = true;
      if (message.alreadyRecorded) line.already_recorded = true;
      return line;
    }),
  );
}

export function writeRecordTypes(recordTypes: readonly RecordTypeConfig[]): string {
  return writeBlock(
    RECORD_TYPES_TAG,
    recordTypes.map(
      (type): RecordTypeLine => ({
        name: type.name,
        label: type.label,
        requires_subject: type.requiresSubject,
        child_only: type.childOnly,
        child_types: type.childTypes,
      }),
    ),
  );
}

export function writeSubjects(subjects: readonly Subject[]): string {
  return writeBlock(SUBJECTS_TAG, subjects.map((subject): SubjectLine => ({ id: subject.id, name: subject.name })));
}
