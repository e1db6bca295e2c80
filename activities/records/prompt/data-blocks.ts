// The data blocks of the suggestion prompt: one JSON object per line between a `<tag>` line and a `</tag>` line.
// The model reads them as quoted data; the offline rules read the same lines back (see offline-suggester.ts).
import { jsonLine } from '../../../src/llm/quoted-data.js';
import type { ConversationMessage } from '../context-window.js';
import type { RecordTypeLine, SubjectLine, TranscriptLine } from '../offline-suggester.js';
import type { RecordTypeConfig } from '../../../workflows/records/record-types.js';
import type { Subject } from '../../../workflows/records/subjects.js';

export { jsonLine };

export const TRANSCRIPT_TAG = 'transcript';
export const RECORD_TYPES_TAG = 'record_types';
export const SUBJECTS_TAG = 'subjects';

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
